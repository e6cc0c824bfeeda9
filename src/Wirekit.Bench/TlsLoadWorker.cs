using System.Diagnostics;

namespace Wirekit.Bench;

/// <summary>
/// Drives a share of the TLS connections (<see cref="TlsLoadConnection"/>: a read loop and a write loop each, on the
/// thread pool) through warm-up, the measured window and the drain, with the same accounting as
/// <see cref="LoadWorker"/>: bytes and latency samples counted only inside the window, then no new sends until every
/// byte sent has come back. The handshakes happened before (EchoLoadGenerator), outside every figure.
/// </summary>
internal sealed class TlsLoadWorker : ILoadWorker
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(10);

    private readonly TlsLoadConnection[] _connections;
    private readonly byte[] _payload;
    private readonly ILatencyRecorder _recorder;
    private bool _measuring;

    public TlsLoadWorker(TlsLoadConnection[] connections, byte[] payload, ILatencyRecorder recorder)
    {
        _connections = connections;
        _payload = payload;
        _recorder = recorder;
    }

    /// <summary>Guards the connections' windows and FIFOs, the recorder and the counters: the loops run on any pool thread.</summary>
    public Lock Lock { get; } = new();

    /// <summary>False once the measured window is over: echoes are then no longer owed back.</summary>
    public bool Refilling { get; private set; } = true;

    /// <summary>Where latencies go: the real recorder until the window ends (reset when it starts), nothing while draining.</summary>
    public ILatencyRecorder Recorder => Refilling ? _recorder : NullLatencyRecorder.Instance;

    public long MeasuredBytes { get; private set; }

    public long LatencySamples { get; private set; }

    public int Errors { get; private set; }

    public long MeasureStartedAt { get; private set; }

    public long MeasureStoppedAt { get; private set; }

    public bool Drained { get; private set; }

    public long TotalBytesSent => _connections.Sum(c => c.Sent);

    public long TotalBytesReceived => _connections.Sum(c => c.Received);

    /// <summary>Called under <see cref="Lock"/> for each receive.</summary>
    public void OnReceived(int bytes, long messagesRecorded)
    {
        if (_measuring)
        {
            MeasuredBytes += bytes;
            LatencySamples += messagesRecorded;
        }
    }

    /// <summary>Called under <see cref="Lock"/> once per connection that breaks.</summary>
    public void OnBroken() => Errors++;

    public async Task RunAsync(long measureStart, long measureEnd, long drainTicks, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = _connections.Select(c => c.RunAsync(this, _payload, stop.Token)).ToArray();
        try
        {
            await Task.Delay(Until(measureStart), cancellationToken).ConfigureAwait(false);
            lock (Lock)
            {
                MeasureStartedAt = Stopwatch.GetTimestamp();
                _recorder.Reset();
                _measuring = true;
            }

            await Task.Delay(Until(measureEnd), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ended early: the result covers what was measured so far.
        }

        lock (Lock)
        {
            MeasureStoppedAt = Stopwatch.GetTimestamp();
            _measuring = false;
            Refilling = false;
        }

        var drainUntil = MeasureStoppedAt + drainTicks;
        while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < drainUntil)
        {
            lock (Lock)
            {
                Drained = _connections.All(c => c.Broken || c.IsSettled);
            }

            if (Drained)
            {
                break;
            }

            await Task.Delay(DrainPoll, CancellationToken.None).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        if (MeasureStartedAt == 0)
        {
            MeasuredBytes = 0;
        }
    }

    private static TimeSpan Until(long timestamp)
        => TimeSpan.FromSeconds(Math.Max(0, timestamp - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
}
