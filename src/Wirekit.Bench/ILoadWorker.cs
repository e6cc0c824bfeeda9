namespace Wirekit.Bench;

/// <summary>What <see cref="EchoLoadGenerator"/> needs of a worker, plaintext (<see cref="LoadWorker"/>) or TLS (<see cref="TlsLoadWorker"/>).</summary>
internal interface ILoadWorker
{
    long MeasuredBytes { get; }

    long LatencySamples { get; }

    int Errors { get; }

    /// <summary>Stopwatch timestamps of the measured window; start is 0 if the worker never got there.</summary>
    long MeasureStartedAt { get; }

    long MeasureStoppedAt { get; }

    bool Drained { get; }

    /// <summary>Bytes its connections sent over the whole run (warm-up, measured time, drain), and got back.</summary>
    long TotalBytesSent { get; }

    long TotalBytesReceived { get; }

    /// <summary>Loads until <paramref name="measureEnd"/>, then drains for at most <paramref name="drainTicks"/>.</summary>
    Task RunAsync(long measureStart, long measureEnd, long drainTicks, CancellationToken cancellationToken);
}
