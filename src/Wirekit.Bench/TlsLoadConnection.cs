using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace Wirekit.Bench;

/// <summary>
/// One TLS connection of the load generator: the same window rule as <see cref="LoadConnection"/> (whenever n bytes
/// come back, n more are owed), but driven by two async loops, one reading and one writing, because a TLS stream
/// cannot be polled for readiness the way a plain non-blocking socket is. SslStream allows one read and one write
/// at a time, which is exactly these two. The window, the latency FIFO and the counters are shared with the worker's
/// other connections under the worker's lock.
/// </summary>
internal sealed class TlsLoadConnection
{
    private readonly SslStream _stream;
    private readonly LatencyFifo _fifo;

    // Wakes the send loop when the window owes bytes again; a spare release only costs one empty pass.
    private readonly SemaphoreSlim _owing = new(0);

    public TlsLoadConnection(SslStream stream, int messageSize, long bytesInFlight)
    {
        _stream = stream;
        Owed = bytesInFlight;
        _fifo = new LatencyFifo(messageSize, bytesInFlight);
    }

    /// <summary>Bytes still to send to keep the window full. Under the worker's lock, as are the counters below.</summary>
    public long Owed { get; private set; }

    public long Sent { get; private set; }

    public long Received { get; private set; }

    public bool Broken { get; private set; }

    public bool IsSettled => Received >= Sent;

    public Task RunAsync(TlsLoadWorker worker, byte[] payload, CancellationToken cancellationToken)
        => Task.WhenAll(SendLoopAsync(worker, payload, cancellationToken), ReceiveLoopAsync(worker, cancellationToken));

    private async Task SendLoopAsync(TlsLoadWorker worker, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            while (!Broken)
            {
                var chunk = 0;
                lock (worker.Lock)
                {
                    if (worker.Refilling && Owed > 0)
                    {
                        chunk = (int)Math.Min(Owed, payload.Length);
                        var before = Sent;
                        Owed -= chunk;
                        Sent += chunk;

                        // Stamped before the write: on loopback the echo may be back before WriteAsync returns.
                        _fifo.OnSent(before, Sent, Stopwatch.GetTimestamp());
                    }
                }

                if (chunk == 0)
                {
                    await _owing.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await _stream.WriteAsync(payload.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break(worker);
        }
    }

    private async Task ReceiveLoopAsync(TlsLoadWorker worker, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    Break(worker); // the server's close
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                bool owing;
                lock (worker.Lock)
                {
                    Received += n;
                    owing = worker.Refilling;
                    Owed += owing ? n : 0;
                    worker.OnReceived(n, _fifo.OnReceived(Received, now, worker.Recorder));
                }

                if (owing && _owing.CurrentCount == 0)
                {
                    _owing.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break(worker);
        }
    }

    private void Break(TlsLoadWorker worker)
    {
        lock (worker.Lock)
        {
            if (!Broken)
            {
                Broken = true;
                worker.OnBroken();
            }
        }

        _owing.Release(); // the send loop sees Broken and ends
    }
}
