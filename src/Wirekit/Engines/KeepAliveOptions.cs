using System.Globalization;

namespace Wirekit.Engines;

/// <summary>TCP keepalive probing: idle seconds before the first probe, seconds between probes, probes before the peer is declared dead.</summary>
public readonly record struct KeepAliveOptions(int IdleSeconds, int IntervalSeconds, int ProbeCount)
{
    /// <summary>Parses "IDLE,INTERVAL,COUNT", e.g. "30,5,4".</summary>
    public static KeepAliveOptions Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var idle)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var interval)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || idle < 1 || interval < 1 || count < 1)
        {
            throw new FormatException($"keepalive must be IDLE,INTERVAL,COUNT with positive whole numbers (e.g. 30,5,4), not '{text}'");
        }

        return new KeepAliveOptions(idle, interval, count);
    }

    public override string ToString() => $"{IdleSeconds},{IntervalSeconds},{ProbeCount}";
}
