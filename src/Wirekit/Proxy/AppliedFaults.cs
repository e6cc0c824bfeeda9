namespace Wirekit.Proxy;

/// <summary>The faults that actually acted on a connection (a fault that is on but never fired is not listed).</summary>
[Flags]
internal enum AppliedFaults
{
    None = 0,
    Latency = 1 << 0,
    Bandwidth = 1 << 1,
    Slice = 1 << 2,
    LimitData = 1 << 3,
    ResetAfter = 1 << 4,
    BlackholeAfter = 1 << 5,
    SlowClose = 1 << 6,
    Corrupt = 1 << 7,
    StallReads = 1 << 8,
    Cut = 1 << 9,
}

internal static class AppliedFaultNames
{
    private static readonly (AppliedFaults Flag, string Name)[] Names =
    [
        (AppliedFaults.Latency, "latency"), (AppliedFaults.Bandwidth, "bandwidth"), (AppliedFaults.Slice, "slice"),
        (AppliedFaults.LimitData, "limit-data"), (AppliedFaults.ResetAfter, "reset-after"), (AppliedFaults.BlackholeAfter, "blackhole-after"),
        (AppliedFaults.SlowClose, "slow-close"), (AppliedFaults.Corrupt, "corrupt"), (AppliedFaults.StallReads, "stall-reads"), (AppliedFaults.Cut, "cut"),
    ];

    /// <summary>`up latency`, `down corrupt`, ...: the words of the command line, with their direction.</summary>
    public static IEnumerable<string> Of(string direction, AppliedFaults applied)
        => Names.Where(n => applied.HasFlag(n.Flag)).Select(n => $"{direction} {n.Name}");
}
