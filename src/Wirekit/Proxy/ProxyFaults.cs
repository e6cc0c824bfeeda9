namespace Wirekit.Proxy;

/// <summary>Which way bytes flow through the proxy: up is client to target, down is target to client.</summary>
public enum ProxyDirection
{
    /// <summary>From the client that connected to the proxy, to the target.</summary>
    Up,

    /// <summary>From the target back to the client.</summary>
    Down,
}

/// <summary>When a fault starts: after this many bytes went this way, or this long after the connection opened.</summary>
public readonly record struct ProxyThreshold(long? Bytes, TimeSpan? After)
{
    public static ProxyThreshold OfBytes(long bytes) => new(bytes, null);

    public static ProxyThreshold OfTime(TimeSpan after) => new(null, after);

    public override string ToString() => Bytes is { } bytes ? $"{bytes}" : $"{After!.Value.TotalSeconds:0.###}s";
}

/// <summary>
/// The faults applied to one direction of every connection. Immutable: a change at run time swaps the whole record,
/// so a forwarding loop reads one consistent set per chunk. Null or zero means the fault is off.
/// </summary>
public sealed record ProxyFaults
{
    public static readonly ProxyFaults None = new();

    /// <summary>Each chunk is held this long before it is forwarded; chunks keep their order.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Up to this much more or less than <see cref="Latency"/>, at random per chunk (order still kept).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Forward at most this many KiB per second.</summary>
    public double? BandwidthKiBps { get; init; }

    /// <summary>Forward in writes of at most this many bytes (TCP is a byte stream: one send need not be one receive).</summary>
    public int? SliceBytes { get; init; }

    /// <summary>Pause between two slices.</summary>
    public TimeSpan SliceDelay { get; init; }

    /// <summary>Forward this many bytes, then close the connection (FIN both ways).</summary>
    public long? LimitData { get; init; }

    /// <summary>Reset both sides (RST) at this threshold; bytes up to it are forwarded.</summary>
    public ProxyThreshold? ResetAfter { get; init; }

    /// <summary>From this threshold on, bytes are read and dropped; both sockets stay open (a zombie peer, a pulled cable).</summary>
    public ProxyThreshold? BlackholeAfter { get; init; }

    /// <summary>Hold a close (FIN) this long before passing it on.</summary>
    public TimeSpan SlowClose { get; init; }

    /// <summary>Probability (0-1) that a chunk has one bit flipped.</summary>
    public double CorruptRate { get; init; }

    /// <summary>Stop reading from the sending side, so its data waits in the kernel and its window fills (zero window).</summary>
    public bool StallReads { get; init; }

    /// <summary>The faults that are on, in their command-line words (for logs and `list`).</summary>
    public IReadOnlyList<string> Describe() => FaultSyntax.Describe(this);
}
