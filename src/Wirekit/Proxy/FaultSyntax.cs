using System.Globalization;

namespace Wirekit.Proxy;

/// <summary>
/// The words of every fault, shared by the command line (<c>--latency 200:50</c>) and the control commands
/// (<c>add latency 200:50</c>), so the two can never disagree. Pure: text in, <see cref="ProxyFaults"/> or an error out.
/// </summary>
public static class FaultSyntax
{
    private sealed record Fault(string Name, string ValueName, string Help, Func<ProxyFaults, string, ProxyFaults> Apply,
        Func<ProxyFaults, ProxyFaults> Clear, Func<ProxyFaults, string?> Show);

    private static readonly Fault[] Faults =
    [
        new("latency", "MS[:JITTER]", "hold each chunk MS milliseconds (plus or minus up to JITTER), order kept",
            (f, v) => { var (ms, jitter) = Pair(v, "latency"); return f with { Latency = Ms(ms), Jitter = Ms(jitter ?? 0) }; },
            f => f with { Latency = TimeSpan.Zero, Jitter = TimeSpan.Zero },
            f => f.Latency > TimeSpan.Zero ? $"{f.Latency.TotalMilliseconds:0}" + (f.Jitter > TimeSpan.Zero ? $":{f.Jitter.TotalMilliseconds:0}" : "") : null),
        new("bandwidth", "KIB/S", "forward at most this many KiB per second",
            (f, v) => f with { BandwidthKiBps = Positive(Number(v, "bandwidth"), "bandwidth") },
            f => f with { BandwidthKiBps = null },
            f => f.BandwidthKiBps is { } kib ? kib.ToString("0.###", CultureInfo.InvariantCulture) : null),
        new("slice", "BYTES[:DELAY_MS]", "forward in writes of at most BYTES, DELAY_MS apart",
            (f, v) => { var (bytes, delay) = Pair(v, "slice"); return f with { SliceBytes = (int)Math.Max(1, Math.Min(bytes, int.MaxValue)), SliceDelay = Ms(delay ?? 0) }; },
            f => f with { SliceBytes = null, SliceDelay = TimeSpan.Zero },
            f => f.SliceBytes is { } bytes ? $"{bytes}" + (f.SliceDelay > TimeSpan.Zero ? $":{f.SliceDelay.TotalMilliseconds:0}" : "") : null),
        new("limit-data", "BYTES", "forward BYTES, then close the connection",
            (f, v) => f with { LimitData = (long)Number(v, "limit-data") },
            f => f with { LimitData = null },
            f => f.LimitData?.ToString(CultureInfo.InvariantCulture)),
        new("reset-after", "BYTES|Ns", "reset both sides (RST) after BYTES, or N seconds after the connection opened",
            (f, v) => f with { ResetAfter = Threshold(v, "reset-after") },
            f => f with { ResetAfter = null },
            f => f.ResetAfter?.ToString()),
        new("blackhole-after", "BYTES|Ns", "after BYTES or N seconds, drop everything but keep both sockets open",
            (f, v) => f with { BlackholeAfter = Threshold(v, "blackhole-after") },
            f => f with { BlackholeAfter = null },
            f => f.BlackholeAfter?.ToString()),
        new("slow-close", "MS", "hold a close (FIN) MS milliseconds before passing it on",
            (f, v) => f with { SlowClose = Ms(Number(v, "slow-close")) },
            f => f with { SlowClose = TimeSpan.Zero },
            f => f.SlowClose > TimeSpan.Zero ? $"{f.SlowClose.TotalMilliseconds:0}" : null),
        new("corrupt", "RATE", "flip one bit in a chunk with probability RATE (0-1)",
            (f, v) => f with { CorruptRate = Rate(v) },
            f => f with { CorruptRate = 0 },
            f => f.CorruptRate > 0 ? f.CorruptRate.ToString("0.####", CultureInfo.InvariantCulture) : null),
        new("stall-reads", "", "stop reading from the sending side: its window fills (zero window)",
            (f, _) => f with { StallReads = true },
            f => f with { StallReads = false },
            f => f.StallReads ? "" : null),
    ];

    /// <summary>Every fault's name, the value it takes (empty for a switch) and what it does, in the order help lists them.</summary>
    public static IEnumerable<(string Name, string ValueName, string Help)> All => Faults.Select(f => (f.Name, f.ValueName, f.Help));

    /// <summary>Sets fault <paramref name="name"/> from its value text; false with a one-line error for a bad name or value.</summary>
    public static bool TryApply(ProxyFaults faults, string name, string? value, out ProxyFaults result, out string? error)
    {
        result = faults;
        error = null;
        if (Find(name) is not { } fault)
        {
            error = $"unknown fault '{name}' (faults: {string.Join(", ", Faults.Select(f => f.Name))})";
            return false;
        }

        if (fault.ValueName.Length > 0 && string.IsNullOrWhiteSpace(value))
        {
            error = $"{name} needs a value: {name} {fault.ValueName}";
            return false;
        }

        try
        {
            result = fault.Apply(faults, value?.Trim() ?? string.Empty);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Turns fault <paramref name="name"/> off; false for an unknown name.</summary>
    public static bool TryClear(ProxyFaults faults, string name, out ProxyFaults result)
    {
        result = Find(name) is { } fault ? fault.Clear(faults) : faults;
        return Find(name) is not null;
    }

    /// <summary>The faults that are on, as <c>latency 200:50</c>, <c>stall-reads</c>, ...</summary>
    public static IReadOnlyList<string> Describe(ProxyFaults faults)
        => [.. Faults.Select(f => (f.Name, Value: f.Show(faults))).Where(s => s.Value is not null).Select(s => s.Value!.Length == 0 ? s.Name : $"{s.Name} {s.Value}")];

    private static Fault? Find(string name) => Array.Find(Faults, f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static double Number(string text, string fault)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"{fault}: '{text}' is not a number (0 or more)");

    private static double Positive(double value, string fault) => value > 0 ? value : throw new FormatException($"{fault}: must be more than 0");

    private static (double First, double? Second) Pair(string text, string fault)
    {
        var colon = text.IndexOf(':');
        return colon < 0 ? (Number(text, fault), null) : (Number(text[..colon], fault), Number(text[(colon + 1)..], fault));
    }

    private static ProxyThreshold Threshold(string text, string fault)
        => text.EndsWith('s') ? ProxyThreshold.OfTime(TimeSpan.FromSeconds(Number(text[..^1], fault))) : ProxyThreshold.OfBytes((long)Number(text, fault));

    private static double Rate(string text)
    {
        var rate = Number(text, "corrupt");
        return rate <= 1 ? rate : throw new FormatException($"corrupt: '{text}' is not a probability (0-1)");
    }
}
