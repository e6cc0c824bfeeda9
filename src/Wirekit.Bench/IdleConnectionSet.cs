using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wirekit.Bench;

/// <summary>
/// Many idle connections to one server, held open so its memory per connection can be read, then checked to
/// still echo. Disposing closes them all (client first, so TIME_WAIT stays on this side).
/// </summary>
internal sealed class IdleConnectionSet : IDisposable
{
    // IP_BIND_ADDRESS_NO_PORT (Linux): bind() picks only the source address and leaves the port to connect(),
    // which can then reuse a port towards a different destination instead of reserving one per bind.
    private const int IpBindAddressNoPort = 24;

    private readonly IdleConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly Socket?[] _sockets;
    private readonly SslStream?[] _streams;

    private IdleConnectionSet(IdleConnectionOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _sockets = new Socket?[options.Count];
        _streams = new SslStream?[options.Count];
    }

    /// <summary>Connections asked for.</summary>
    public int Requested => _sockets.Length;

    /// <summary>Connections open now.</summary>
    public int Opened => _sockets.Count(s => s is not null);

    /// <summary>Connections that could not be opened (refused, timed out, out of ports: --verbose logs why).</summary>
    public int ConnectFailures => Requested - Opened;

    /// <summary>Local addresses the connections came from.</summary>
    public int SourceAddresses { get; private set; } = 1;

    /// <summary>How long opening them all took (connects, and with TLS the handshakes).</summary>
    public TimeSpan OpenTime { get; private set; }

    /// <summary>
    /// Opens <see cref="IdleConnectionOptions.Count"/> connections, <see cref="IdleConnectionOptions.Parallelism"/>
    /// at a time. Failures are counted, not thrown; options that break a rule throw <see cref="ArgumentException"/>.
    /// </summary>
    public static async Task<IdleConnectionSet> OpenAsync(
        IdleConnectionOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        OptionProblem.ThrowIfAny(options.Problem());
        var set = new IdleConnectionSet(options, logger ?? NullLogger.Instance);
        try
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, options.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
                async (i, ct) => await set.OpenOneAsync(i, ct).ConfigureAwait(false)).ConfigureAwait(false);
            set.OpenTime = clock.Elapsed;
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Sends each open connection its own 4 bytes and expects exactly them back. Returns how many did.</summary>
    public async Task<int> CountEchoingAsync(CancellationToken cancellationToken = default)
    {
        var held = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, _sockets.Length).Where(i => _sockets[i] is not null),
            new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                if (await EchoesAsync(i, _sockets[i]!, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref held);
                }
            }).ConfigureAwait(false);
        return held;
    }

    /// <summary>Closes every connection, client first (TIME_WAIT stays on this side).</summary>
    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream?.Dispose();
        }

        foreach (var socket in _sockets)
        {
            socket?.Dispose();
        }
    }

    /// <summary>Connects slot <paramref name="index"/> and, with TLS, handshakes; a failure leaves the slot empty (logged).</summary>
    private async Task OpenOneAsync(int index, CancellationToken cancellationToken)
    {
        var socket = await ConnectOneAsync(index, cancellationToken).ConfigureAwait(false);
        if (socket is not null && _options.Tls is { } tls)
        {
            try
            {
                _streams[index] = await tls(socket, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                BenchLog.HandshakeFailed(_logger, index, e.Message);
                socket.Dispose();
                return;
            }
        }

        _sockets[index] = socket;
    }

    private async Task<Socket?> ConnectOneAsync(int index, CancellationToken cancellationToken)
    {
        var sourceIndex = index / _options.ConnectionsPerSource;
        if (sourceIndex == 0 || !IPAddress.IsLoopback(_options.Target.Address)
            || _options.Target.AddressFamily != AddressFamily.InterNetwork)
        {
            // The first source, or a target where 127.0.0.x would not route: let the kernel choose.
            return await BenchConnector.TryConnectAsync(
                _options.Target, source: null, _options.ConnectTimeout, _logger, cancellationToken).ConfigureAwait(false);
        }

        lock (_sockets)
        {
            SourceAddresses = Math.Max(SourceAddresses, sourceIndex + 1);
        }

        var source = new IPAddress(new byte[] { 127, 0, (byte)((sourceIndex + 1) >> 8), (byte)(sourceIndex + 1) });
        return await BenchConnector.TryConnectAsync(
            _options.Target, source, _options.ConnectTimeout, _logger, cancellationToken,
            configure: socket =>
            {
                if (OperatingSystem.IsLinux())
                {
                    socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpBindAddressNoPort, BitConverter.GetBytes(1));
                }
            }).ConfigureAwait(false);
    }

    private async Task<bool> EchoesAsync(int index, Socket socket, CancellationToken cancellationToken)
    {
        var sent = new byte[4];
        var back = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(sent, index);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.EchoTimeout);
        try
        {
            var stream = _streams[index];
            if (stream is null)
            {
                await socket.SendAsync(sent, SocketFlags.None, limit.Token).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(sent, limit.Token).ConfigureAwait(false);
            }

            var got = 0;
            while (got < back.Length)
            {
                var n = stream is null
                    ? await socket.ReceiveAsync(back.AsMemory(got), SocketFlags.None, limit.Token).ConfigureAwait(false)
                    : await stream.ReadAsync(back.AsMemory(got), limit.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    BenchLog.EchoCheckFailed(_logger, index, "closed by the server");
                    return false;
                }

                got += n;
            }

            if (!back.AsSpan().SequenceEqual(sent))
            {
                BenchLog.EchoCheckFailed(_logger, index, "echoed different bytes");
                return false;
            }

            return true;
        }
        catch (SocketException e)
        {
            BenchLog.EchoCheckFailed(_logger, index, e.SocketErrorCode.ToString());
        }
        catch (IOException e)
        {
            BenchLog.EchoCheckFailed(_logger, index, e.Message); // TLS: the stream wraps what broke
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            BenchLog.EchoCheckFailed(_logger, index, $"no echo within {_options.EchoTimeout}");
        }

        return false;
    }
}
