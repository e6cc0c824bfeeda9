namespace Wirekit.Bench;

/// <summary>
/// What a load run measured. Messages and bytes count echoes received during the measured time only (not the
/// warm-up or the drain); the totals cover the whole run, so after a complete drain sent equals received.
/// </summary>
public sealed record EchoLoadResult
{
    /// <summary>Connections asked for.</summary>
    public required int Clients { get; init; }

    /// <summary>Connections that could not be opened.</summary>
    public required int FailedConnections { get; init; }

    /// <summary>Connections that broke during the run (reset, closed by the server, socket error).</summary>
    public required int Errors { get; init; }

    /// <summary>Whole messages echoed back during the measured time.</summary>
    public required long Messages { get; init; }

    /// <summary>Bytes echoed back during the measured time.</summary>
    public required long Bytes { get; init; }

    /// <summary>The measured time as the workers saw it.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Messages whose round trip was recorded in the latency recorders during the measured time.</summary>
    public required long LatencySamples { get; init; }

    /// <summary>Bytes sent over the whole run: warm-up, measured time and drain.</summary>
    public required long TotalBytesSent { get; init; }

    /// <summary>Bytes echoed back over the whole run.</summary>
    public required long TotalBytesReceived { get; init; }

    /// <summary>True when every byte sent came back before the drain timeout (on connections that did not break).</summary>
    public required bool Drained { get; init; }

    /// <summary>How long the TLS handshakes of every connection took, before the warm-up (zero without TLS).</summary>
    public TimeSpan HandshakeTime { get; init; }

    /// <summary><see cref="Messages"/> per second of <see cref="Elapsed"/>.</summary>
    public double MessagesPerSecond => Elapsed > TimeSpan.Zero ? Messages / Elapsed.TotalSeconds : 0;

    /// <summary><see cref="Bytes"/> per second of <see cref="Elapsed"/>, in MiB.</summary>
    public double MiBPerSecond => Elapsed > TimeSpan.Zero ? Bytes / Elapsed.TotalSeconds / (1024 * 1024) : 0;
}
