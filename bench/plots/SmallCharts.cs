using ScottPlot;

namespace Wirekit.Plots;

/// <summary>The benches whose table is one figure per row: idle connections, file transfer, cold start.</summary>
internal static class SmallCharts
{
    /// <summary>bench/connections.sh rows: server held count connectFailures echoFailures rssBeforeKiB rssAfterKiB kibPerConnection.</summary>
    public static Plot Connections(BenchDocument document)
    {
        var rows = document.Rows.Where(r => r.Number("kibPerConnection") is not null).ToArray();
        return GroupedBars.Draw(
            "Idle connections: server RSS per connection held",
            "KiB of server RSS per connection",
            [.. rows.Select(r => r.Text("server") == "c" ? "C epoll (reference)" : r.Text("server"))],
            [new BarSeries("KiB per connection", [.. rows.Select(r => r.Number("kibPerConnection"))],
                [.. rows.Select(r => $"{r.Number("kibPerConnection"):0.##} ({r.Text("held")} held)")])]);
    }

    /// <summary>bench/file.sh rows: path round gbps (several rounds: the median).</summary>
    public static Plot File(BenchDocument document)
    {
        var paths = document.Rows.Select(r => r.Text("path")).Distinct().ToArray();
        var medians = paths.Select(p => GroupedBars.Median(document.Rows.Where(r => r.Text("path") == p).Select(r => r.Number("gbps")))).ToArray();
        return GroupedBars.Draw(
            "File transfer over loopback: wirekit file serve/get vs nginx/curl",
            "GB/s (median of the rounds)",
            paths,
            [new BarSeries("GB/s", medians, [.. medians.Select(m => m is { } v ? $"{v:0.00}" : null)])]);
    }

    /// <summary>bench/startup.sh rows: measurement build meanMs stddevMs (hyperfine's figures).</summary>
    public static Plot Startup(BenchDocument document)
    {
        var measurements = document.Rows.Select(r => r.Text("measurement")).Distinct().ToArray();
        var builds = document.Rows.Select(r => r.Text("build")).Distinct().ToArray();
        double? Mean(string build, string measurement)
            => document.Rows.FirstOrDefault(r => r.Text("build") == build && r.Text("measurement") == measurement)?.Number("meanMs");
        return GroupedBars.Draw(
            "Cold start: JIT build vs Native AOT (hyperfine)",
            "milliseconds (mean)",
            measurements,
            [.. builds.Select(build => new BarSeries(
                build.ToUpperInvariant(),
                [.. measurements.Select(m => Mean(build, m))],
                [.. measurements.Select(m => Mean(build, m) is { } v ? $"{v:0.0} ms" : null)]))]);
    }
}
