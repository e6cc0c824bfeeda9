namespace Wirekit.Bench;

/// <summary>What <see cref="ConnectionCycles"/> measured. Server figures are null without a server process id, or once it is gone.</summary>
public sealed record ConnectionCyclesResult
{
    /// <summary>The server's RSS before the first connect.</summary>
    public required long? ServerRssBeforeBytes { get; init; }

    /// <summary>Every cycle, in order.</summary>
    public required IReadOnlyList<ConnectionCycle> Cycles { get; init; }

    /// <summary>The idle time after the last cycle.</summary>
    public required TimeSpan Settle { get; init; }

    /// <summary>The server's RSS at the end of <see cref="Settle"/>; null when there was none.</summary>
    public required long? ServerRssSettledBytes { get; init; }
}

/// <summary>One open-hold-close cycle.</summary>
public sealed record ConnectionCycle
{
    /// <summary>1 for the first cycle.</summary>
    public required int Number { get; init; }

    /// <summary>Connections asked for.</summary>
    public required int Requested { get; init; }

    /// <summary>Connections that opened.</summary>
    public required int Opened { get; init; }

    /// <summary>Connections that passed the echo check (all that opened when it is off).</summary>
    public required int Held { get; init; }

    /// <summary>Local addresses the connections came from.</summary>
    public required int SourceAddresses { get; init; }

    /// <summary>How long opening them took: connects, and with TLS the handshakes.</summary>
    public TimeSpan OpenTime { get; init; }

    /// <summary>Connections opened per second of <see cref="OpenTime"/>: with TLS, full handshakes per second.</summary>
    public double OpenedPerSecond => OpenTime > TimeSpan.Zero ? Opened / OpenTime.TotalSeconds : 0;

    /// <summary>The server's RSS with every connection open (and checked).</summary>
    public required long? ServerRssOpenBytes { get; init; }

    /// <summary>The server's RSS once it had closed them (or the release wait ran out).</summary>
    public required long? ServerRssClosedBytes { get; init; }

    /// <summary>True when the server's open sockets fell back to their level at rest in time; null when not watched.</summary>
    public required bool? ServerReleased { get; init; }

    /// <summary>How long the server took to close them, from the client's last close.</summary>
    public required TimeSpan ReleaseTime { get; init; }
}
