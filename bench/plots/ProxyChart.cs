using ScottPlot;

namespace Wirekit.Plots;

/// <summary>
/// bench/proxy.sh: the echo server reached directly, through `wirekit proxy` and through socat, per profile, as a
/// ratio to socat (the target: proxy at 0.8 or more); labels are messages/s.
/// Rows: round profile clients messages size path msgPerSecond mibPerSecond p50Us p99Us errors.
/// </summary>
internal static class ProxyChart
{
    private static readonly string[] Paths = ["direct", "proxy", "socat"];

    public static Plot Draw(BenchDocument document)
    {
        var rows = document.Rows;
        var groups = rows.Select(r => (Profile: r.Text("profile"), Clients: r.Text("clients"))).Distinct().ToArray();

        double? Rate(string path, (string Profile, string Clients) group) => GroupedBars.Median(rows
            .Where(r => r.Text("path") == path && r.Text("profile") == group.Profile && r.Text("clients") == group.Clients)
            .Select(r => r.Number("msgPerSecond")));

        var series = Paths.Select(path =>
        {
            var rates = groups.Select(g => Rate(path, g)).ToArray();
            return new BarSeries(
                path == "proxy" ? "wirekit proxy" : path,
                [.. groups.Select((g, i) => rates[i] / Rate("socat", g))],
                [.. rates.Select(rate => rate is { } r ? GroupedBars.Human(r) : null)]);
        }).ToArray();

        var plot = GroupedBars.Draw(
            "Plain forwarding: wirekit proxy vs socat (wirekit bench echo against the echo server)",
            "messages/s as a ratio to socat",
            [.. groups.Select(g => $"{g.Profile}, {g.Clients} client{(g.Clients == "1" ? "" : "s")}")],
            series);
        plot.Add.HorizontalLine(0.8, pattern: LinePattern.Dashed, color: Colors.Gray).LegendText = "target: 0.8 x socat";
        return plot;
    }
}
