using System.Diagnostics;
using System.Net.Sockets;

namespace Wirekit.Bench;

/// <summary>
/// One dedicated thread driving a share of the connections with non-blocking calls, like echo_load.c's epoll loop:
/// Select for readiness, then on each ready connection receive what came back and send what is owed. While data
/// keeps moving, Select only polls (timeout 0); after 50 µs without progress it blocks. After the measured time,
/// a drain: no new sends, receive until every byte sent has come back, so the totals balance.
/// </summary>
/// <remarks>
/// Readiness first, not a blind sweep of receives: with 1000 ping-pong connections most have nothing to read at
/// any moment, and one poll over all of them costs far less than a failed recv() on each. The spin exists because
/// a wake-up from a blocking wait costs tens of microseconds on a VM, which is the whole round trip of a ping-pong
/// run; the C client spins permanently (level-triggered EPOLLOUT). No allocation, no locks on this path.
/// </remarks>
internal sealed class LoadWorker : ILoadWorker
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly long MaxWaitTicks = Stopwatch.Frequency / 20;   // 50 ms, so the clock and token are checked often

    private readonly LoadConnection[] _connections;
    private readonly byte[] _payload;
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private readonly ILatencyRecorder _recorder;
    private readonly List<Socket> _readable = [];
    private readonly List<Socket> _writable = [];

    public LoadWorker(LoadConnection[] connections, byte[] payload, ILatencyRecorder recorder)
    {
        _connections = connections;
        _payload = payload;
        _recorder = recorder;
    }

    public long MeasuredBytes { get; private set; }

    public long LatencySamples { get; private set; }

    public int Errors { get; private set; }

    /// <summary>Stopwatch timestamps of this worker's measured window; start is 0 if it never got there.</summary>
    public long MeasureStartedAt { get; private set; }

    public long MeasureStoppedAt { get; private set; }

    public bool Drained { get; private set; }

    public long TotalBytesSent => _connections.Sum(c => c.Sent);

    public long TotalBytesReceived => _connections.Sum(c => c.Received);

    /// <summary>On a dedicated thread: the worker blocks in Select and must not starve the pool.</summary>
    public Task RunAsync(long measureStart, long measureEnd, long drainTicks, CancellationToken cancellationToken)
        => Task.Factory.StartNew(() => Run(measureStart, measureEnd, drainTicks, cancellationToken),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Run(long measureStart, long measureEnd, long drainTicks, CancellationToken cancellationToken)
    {
        var measuring = false;
        long latencySamples = 0;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (!measuring && now >= measureStart)
            {
                measuring = true;
                MeasureStartedAt = now;
                MeasuredBytes = 0;
                latencySamples = 0;
                _recorder.Reset();
            }

            if (now >= measureEnd || cancellationToken.IsCancellationRequested)
            {
                MeasureStoppedAt = now;
                break;
            }

            var wait = now - lastProgress > SpinTicks ? Math.Min(measureEnd - now, MaxWaitTicks) : 0;
            if (!WaitReady(wait, refill: true))
            {
                MeasureStoppedAt = Stopwatch.GetTimestamp();
                break; // every connection broke
            }

            var moved = ServeReady(refill: true, _recorder, ref latencySamples);
            if (measuring)
            {
                MeasuredBytes += moved;
            }

            if (moved > 0)
            {
                lastProgress = now;
            }
        }

        LatencySamples = measuring ? latencySamples : 0;
        Drain(MeasureStoppedAt + drainTicks, cancellationToken);
    }

    private void Drain(long deadline, CancellationToken cancellationToken)
    {
        long ignored = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var settled = true;
            foreach (var connection in _connections)
            {
                settled &= connection.Broken || connection.IsSettled;
            }

            if (settled)
            {
                Drained = true;
                return;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= deadline || !WaitReady(Math.Min(deadline - now, MaxWaitTicks), refill: false))
            {
                return;
            }

            ServeReady(refill: false, NullLatencyRecorder.Instance, ref ignored);
        }
    }

    /// <summary>
    /// Select over every live connection: readable ones, and writable ones among those still owing bytes. A zero
    /// timeout only polls (the spin). Returns false when no connection is left alive.
    /// </summary>
    private bool WaitReady(long timeoutTicks, bool refill)
    {
        _readable.Clear();
        _writable.Clear();
        foreach (var connection in _connections)
        {
            if (connection.Broken)
            {
                continue;
            }

            _readable.Add(connection.Socket);
            if (refill && connection.Owed > 0)
            {
                _writable.Add(connection.Socket);
            }
        }

        if (_readable.Count == 0)
        {
            return false;
        }

        var microseconds = (int)Math.Clamp(timeoutTicks * 1_000_000 / Stopwatch.Frequency, 0, int.MaxValue);
        try
        {
            Socket.Select(_readable, _writable.Count > 0 ? _writable : null, null, microseconds);
        }
        catch (SocketException)
        {
            // A socket failed under us: treat every connection as ready, and the calls that follow find which.
            RefillWithAll(refill);
        }

        return true;
    }

    /// <summary>
    /// Receives on the readable connections and sends what the ready ones owe. Select keeps the order of what it
    /// leaves in its lists, which is connection order, so one walk matches sockets to connections without a lookup.
    /// Returns the bytes received.
    /// </summary>
    private long ServeReady(bool refill, ILatencyRecorder recorder, ref long latencySamples)
    {
        long received = 0;
        int nextReadable = 0, nextWritable = 0;
        foreach (var connection in _connections)
        {
            if (connection.Broken)
            {
                continue;
            }

            var readable = nextReadable < _readable.Count && ReferenceEquals(_readable[nextReadable], connection.Socket);
            var writable = nextWritable < _writable.Count && ReferenceEquals(_writable[nextWritable], connection.Socket);
            nextReadable += readable ? 1 : 0;
            nextWritable += writable ? 1 : 0;
            if (readable)
            {
                received += connection.ReceiveAvailable(_receiveBuffer, refill, recorder, ref latencySamples);
            }

            // After a receive the window owes bytes again: send at once rather than wait for another Select.
            if ((readable || writable) && refill && !connection.Broken && connection.Owed > 0)
            {
                connection.SendOwed(_payload);
            }

            if (connection.Broken)
            {
                Errors++;
            }
        }

        return received;
    }

    private void RefillWithAll(bool refill)
    {
        _readable.Clear();
        _writable.Clear();
        foreach (var connection in _connections)
        {
            if (!connection.Broken)
            {
                _readable.Add(connection.Socket);
                if (refill && connection.Owed > 0)
                {
                    _writable.Add(connection.Socket);
                }
            }
        }
    }
}
