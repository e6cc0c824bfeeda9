using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wirekit.Bench;

/// <summary>
/// Drives an echo server the way echo_load.c does: C connections, each keeping M messages of S bytes in flight,
/// for a warm-up plus a measured time, then a drain so every byte sent is accounted for. The work runs on a few
/// dedicated threads (<see cref="EchoLoadOptions.Threads"/>), each owning its connections outright.
/// </summary>
public static class EchoLoadGenerator
{
    // One read-only payload for every connection: what the client sends does not matter to an echo server, and a
    // shared 1 MiB buffer lets one send call carry a whole window (as the C client's static buffer does).
    private static readonly byte[] Payload = CreatePayload();

    // Connects in flight at once: a server slow to accept (or never accepting: an iterative engine with many
    // clients) then costs one connect timeout per batch, not one per client.
    private const int ConnectBatchSize = 100;

    /// <summary>
    /// Connects, loads, drains and returns what was measured. Connections that fail or break are counted, not
    /// thrown; options that break a rule (<see cref="EchoLoadOptions.Problem"/>) throw <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="options">What to run.</param>
    /// <param name="recorderFactory">Called once per worker thread; each recorder is then used by that thread alone. Null records no latency.</param>
    /// <param name="logger">Connect failures (Debug) and the start of the load (Information).</param>
    /// <param name="cancellationToken">Ends the run early; the result then covers what was measured so far.</param>
    public static async Task<EchoLoadResult> RunAsync(
        EchoLoadOptions options,
        Func<ILatencyRecorder>? recorderFactory = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        OptionProblem.ThrowIfAny(options.Problem());
        logger ??= NullLogger.Instance;
        var sockets = new Socket?[options.Clients];
        var streams = new SslStream?[options.Clients];
        try
        {
            // On a thread of its own: the connector blocks in Select, and a pool thread is not for blocking.
            sockets = await Task.Factory.StartNew(
                () => NonBlockingConnector.Connect(
                    options.Target, options.Clients, ConnectBatchSize, options.ConnectTimeout, logger, cancellationToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            var handshakes = Stopwatch.StartNew();
            if (options.Tls is { } tls)
            {
                await HandshakeAsync(tls, sockets, streams, logger, cancellationToken).ConfigureAwait(false);
            }

            var handshakeTime = options.Tls is null ? TimeSpan.Zero : handshakes.Elapsed;
            var opened = sockets.Count(s => s is not null);
            var failed = options.Clients - opened;
            if (opened == 0)
            {
                return Summarize(options, [], failed);
            }

            var threads = Math.Min(options.Threads, opened);
            BenchLog.LoadStarting(logger, opened, options.Clients, options.Target, threads);
            var workers = options.Tls is null ? PlainWorkers(options, sockets, threads, recorderFactory) : TlsWorkers(options, streams, threads, recorderFactory);

            var start = Stopwatch.GetTimestamp();
            var measureStart = start + Ticks(options.Warmup);
            var measureEnd = measureStart + Ticks(options.Duration);
            var drainTicks = Ticks(options.DrainTimeout);
            var runs = workers.Select(worker => worker.RunAsync(measureStart, measureEnd, drainTicks, cancellationToken)).ToArray();

            // Workers stop on the clock or the token; the limit only guards against a bug keeping one alive.
            await Task.WhenAll(runs)
                .WaitAsync(options.Warmup + options.Duration + options.DrainTimeout + TimeSpan.FromSeconds(10), CancellationToken.None)
                .ConfigureAwait(false);

            var result = Summarize(options, workers, failed) with { HandshakeTime = handshakeTime };
            if (!result.Drained)
            {
                BenchLog.DrainIncomplete(logger, result.TotalBytesSent - result.TotalBytesReceived);
            }

            return result;
        }
        finally
        {
            // Disposing the sockets closes them (client first: TIME_WAIT stays here), including any a cancelled
            // connect phase left outside a LoadConnection. Dispose is idempotent.
            foreach (var stream in streams)
            {
                stream?.Dispose();
            }

            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    private static ILoadWorker[] PlainWorkers(EchoLoadOptions options, Socket?[] sockets, int threads, Func<ILatencyRecorder>? recorderFactory)
        => Share(sockets.OfType<Socket>().Select(socket => new LoadConnection(socket, options.MessageSize, options.BytesInFlight)).ToArray(),
            threads, (share, recorder) => new LoadWorker(share, Payload, recorder), recorderFactory);

    private static ILoadWorker[] TlsWorkers(EchoLoadOptions options, SslStream?[] streams, int threads, Func<ILatencyRecorder>? recorderFactory)
        => Share(streams.OfType<SslStream>().Select(stream => new TlsLoadConnection(stream, options.MessageSize, options.BytesInFlight)).ToArray(),
            threads, (share, recorder) => new TlsLoadWorker(share, Payload, recorder), recorderFactory);

    /// <summary>Deals the connections round-robin to <paramref name="threads"/> workers, each with a recorder of its own.</summary>
    private static ILoadWorker[] Share<T>(T[] connections, int threads, Func<T[], ILatencyRecorder, ILoadWorker> create, Func<ILatencyRecorder>? recorderFactory)
        => Enumerable.Range(0, threads)
            .Select(w => create(connections.Where((_, i) => i % threads == w).ToArray(), recorderFactory?.Invoke() ?? NullLatencyRecorder.Instance))
            .ToArray();

    /// <summary>
    /// The TLS handshake on every connected socket, <see cref="ConnectBatchSize"/> at a time, before any load: a
    /// connection whose handshake fails is closed and counted as failed (and logged).
    /// </summary>
    private static async Task HandshakeAsync(TlsHandshake tls, Socket?[] sockets, SslStream?[] streams, ILogger logger, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            Enumerable.Range(0, sockets.Length).Where(i => sockets[i] is not null),
            new ParallelOptions { MaxDegreeOfParallelism = ConnectBatchSize, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var socket = sockets[i]!;
                socket.Blocking = true; // the connector left it non-blocking; SslStream's async I/O wants the usual mode
                try
                {
                    streams[i] = await tls(socket, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    BenchLog.HandshakeFailed(logger, i, e.Message);
                    socket.Dispose();
                    sockets[i] = null;
                }
            }).ConfigureAwait(false);
    }

    private static EchoLoadResult Summarize(EchoLoadOptions options, ILoadWorker[] workers, int failed)
    {
        var started = workers.Where(w => w.MeasureStartedAt != 0).ToArray();
        var elapsed = started.Length == 0
            ? TimeSpan.Zero
            : Stopwatch.GetElapsedTime(started.Min(w => w.MeasureStartedAt), started.Max(w => w.MeasureStoppedAt));
        var bytes = workers.Sum(w => w.MeasuredBytes);
        return new EchoLoadResult
        {
            Clients = options.Clients,
            FailedConnections = failed,
            Errors = workers.Sum(w => w.Errors),
            Messages = bytes / options.MessageSize,
            Bytes = bytes,
            Elapsed = elapsed,
            LatencySamples = workers.Sum(w => w.LatencySamples),
            TotalBytesSent = workers.Sum(w => w.TotalBytesSent),
            TotalBytesReceived = workers.Sum(w => w.TotalBytesReceived),
            Drained = workers.Length > 0 && workers.All(w => w.Drained),
        };
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static byte[] CreatePayload()
    {
        var payload = new byte[1024 * 1024];
        payload.AsSpan().Fill((byte)'x');
        return payload;
    }
}
