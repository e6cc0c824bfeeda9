using System.Diagnostics;
using System.Net.Sockets;

namespace Wirekit.Bench;

/// <summary>
/// One dedicated thread driving a share of the connections with non-blocking calls, like echo_load.c's epoll loop:
/// sweep every connection (receive what came back, send what is owed); when a sweep moves nothing for a short spin,
/// block in Select until a socket is ready. Then, after the measured time, a drain: no new sends, receive until
/// every byte sent has come back, so the totals balance.
/// </summary>
/// <remarks>
/// The loop is longer than most methods here because it is the hot path: no allocation, no locks, one clock read
/// per sweep. The spin exists because a wake-up from a blocking wait costs tens of microseconds on a VM, which is
/// the whole round trip of a ping-pong run; the C client spins permanently (level-triggered EPOLLOUT).
/// </remarks>
internal sealed class LoadWorker
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

            var moved = Sweep(refill: true, _recorder, ref latencySamples, out var active);
            if (measuring)
            {
                MeasuredBytes += moved;
            }

            if (active == 0)
            {
                MeasureStoppedAt = Stopwatch.GetTimestamp();
                break;
            }

            if (moved > 0)
            {
                lastProgress = now;
            }
            else if (now - lastProgress > SpinTicks)
            {
                WaitReady(Math.Min(measureEnd - now, MaxWaitTicks), includeWrites: true);
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
            if (now >= deadline)
            {
                return;
            }

            if (Sweep(refill: false, NullLatencyRecorder.Instance, ref ignored, out _) == 0)
            {
                WaitReady(Math.Min(deadline - now, MaxWaitTicks), includeWrites: false);
            }
        }
    }

    /// <summary>One pass over every live connection. Returns bytes received; counts the connections still alive.</summary>
    private long Sweep(bool refill, ILatencyRecorder recorder, ref long latencySamples, out int active)
    {
        long received = 0;
        active = 0;
        foreach (var connection in _connections)
        {
            if (connection.Broken)
            {
                continue;
            }

            received += connection.ReceiveAvailable(_receiveBuffer, refill, recorder, ref latencySamples);
            if (refill && !connection.Broken && connection.Owed > 0)
            {
                connection.SendOwed(_payload);
            }

            if (connection.Broken)
            {
                Errors++;
                continue;
            }

            active++;
        }

        return received;
    }

    /// <summary>Blocks until some connection can be read (or written, if it is waiting to) or the timeout passes.</summary>
    private void WaitReady(long timeoutTicks, bool includeWrites)
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
            if (includeWrites && connection.WaitingToWrite && connection.Owed > 0)
            {
                _writable.Add(connection.Socket);
            }
        }

        if (_readable.Count == 0 || timeoutTicks <= 0)
        {
            return;
        }

        var microseconds = (int)Math.Clamp(timeoutTicks * 1_000_000 / Stopwatch.Frequency, 1, int.MaxValue);
        try
        {
            Socket.Select(_readable, _writable.Count > 0 ? _writable : null, null, microseconds);
        }
        catch (SocketException)
        {
            // A socket failed under us; the next sweep finds which one and counts it.
        }
    }
}
