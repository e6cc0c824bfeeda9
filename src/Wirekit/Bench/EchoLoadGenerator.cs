using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wirekit.Bench;

/// <summary>
/// Drives an echo server the way echo_load.c does: C connections, each keeping M messages of S bytes in flight,
/// for a warm-up plus a measured time, then a drain so every byte sent is accounted for. The work runs on a few
/// dedicated threads (<see cref="EchoLoadOptions.Threads"/>), each owning its connections outright.
/// </summary>
internal static class EchoLoadGenerator
{
    // One read-only payload for every connection: what the client sends does not matter to an echo server, and a
    // shared 1 MiB buffer lets one send call carry a whole window (as the C client's static buffer does).
    private static readonly byte[] Payload = CreatePayload();

    private const int ConnectParallelism = 100;

    // recorderFactory is called once per worker thread; each recorder is then used by that thread alone.
    public static async Task<EchoLoadResult> RunAsync(
        EchoLoadOptions options,
        Func<ILatencyRecorder>? recorderFactory = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        logger ??= NullLogger.Instance;
        var connections = new List<LoadConnection>(options.Clients);
        var sockets = new Socket?[options.Clients];
        try
        {
            // Connects run side by side so a server that is slow to accept (or never does: an iterative engine
            // with many clients) costs one connect timeout, not one per client.
            await Parallel.ForEachAsync(
                Enumerable.Range(0, options.Clients),
                new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (i, ct) => sockets[i] = await BenchConnector.TryConnectAsync(
                    options.Target, source: null, options.ConnectTimeout, logger, ct).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var socket in sockets)
            {
                if (socket is not null)
                {
                    socket.Blocking = false;
                    connections.Add(new LoadConnection(socket, options.MessageSize, options.BytesInFlight));
                }
            }

            var failed = options.Clients - connections.Count;
            if (connections.Count == 0)
            {
                return Summarize(options, [], failed);
            }

            var threads = Math.Min(options.Threads, connections.Count);
            BenchLog.LoadStarting(logger, connections.Count, options.Clients, options.Target, threads);
            var workers = Enumerable.Range(0, threads)
                .Select(w => new LoadWorker(
                    connections.Where((_, i) => i % threads == w).ToArray(),
                    Payload,
                    recorderFactory?.Invoke() ?? NullLatencyRecorder.Instance))
                .ToArray();

            var start = Stopwatch.GetTimestamp();
            var measureStart = start + Ticks(options.Warmup);
            var measureEnd = measureStart + Ticks(options.Duration);
            var drainTicks = Ticks(options.DrainTimeout);
            var runs = workers.Select(worker => Task.Factory.StartNew(
                () => worker.Run(measureStart, measureEnd, drainTicks, cancellationToken),
                CancellationToken.None,
                TaskCreationOptions.LongRunning, // a dedicated thread: the worker blocks in Select and must not starve the pool
                TaskScheduler.Default)).ToArray();

            // Workers stop on the clock or the token; the limit only guards against a bug keeping one alive.
            await Task.WhenAll(runs)
                .WaitAsync(options.Warmup + options.Duration + options.DrainTimeout + TimeSpan.FromSeconds(10), CancellationToken.None)
                .ConfigureAwait(false);

            var result = Summarize(options, workers, failed, connections);
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
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    private static EchoLoadResult Summarize(
        EchoLoadOptions options, LoadWorker[] workers, int failed, IReadOnlyList<LoadConnection>? connections = null)
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
            TotalBytesSent = connections?.Sum(c => c.Sent) ?? 0,
            TotalBytesReceived = connections?.Sum(c => c.Received) ?? 0,
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
