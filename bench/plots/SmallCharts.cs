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
        // Nine paths side by side do not fit their names under the bars: where the bytes go along the bottom, who
        // sent them (and whether through TLS) as the series.
        var paths = document.Rows.Select(r => r.Text("path")).Distinct().ToArray();
        var groups = paths.Select(FileDestination).Distinct().ToArray();
        var senders = paths.Select(FileSender).Distinct().ToArray();
        double? Median(string sender, string group) => GroupedBars.Median(document.Rows
            .Where(r => FileSender(r.Text("path")) == sender && FileDestination(r.Text("path")) == group)
            .Select(r => r.Number("gbps")));
        return GroupedBars.Draw(
            "File transfer over loopback: wirekit file serve/get vs nginx/curl",
            "GB/s (median of the rounds)",
            groups,
            [.. senders.Select(sender => new BarSeries(
                sender,
                [.. groups.Select(g => Median(sender, g))],
                [.. groups.Select(g => Median(sender, g) is { } v ? $"{v:0.00}" : null)]))]);
    }

    // bench/file.sh's path names: "nginx HTTPS -> curl to disk", "wirekit TLS get --discard", "wirekit get --parallel 2",
    // "nginx HTTPS -> .NET SslStream probe /dev/null".
    private static string FileSender(string path)
        => path.Contains("SslStream probe", StringComparison.Ordinal) ? "nginx HTTPS -> bare .NET SslStream"
            : path.StartsWith("nginx HTTPS", StringComparison.Ordinal) ? "nginx HTTPS (OpenSSL) -> curl -k"
            : path.StartsWith("wirekit TLS", StringComparison.Ordinal) ? "wirekit over TLS"
            : path.StartsWith("nginx", StringComparison.Ordinal) ? "nginx (sendfile) -> curl"
            : "wirekit (sendfile)";

    private static string FileDestination(string path)
        => path.Contains("/dev/null", StringComparison.Ordinal) || path.Contains("--discard", StringComparison.Ordinal) ? "not stored (/dev/null, --discard)"
            : path.Contains("--parallel", StringComparison.Ordinal) ? "to disk, 2 connections"
            : "to disk";

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
