using ScottPlot;

namespace Wirekit.Plots;

/// <summary>
/// bench/echo.sh: every server's messages/s as a ratio to the C epoll server, per profile and client count, as
/// measured by Wirekit's client (the one that loads every server); the bar's label is the rate itself.
/// Rows: server profile clients client msgPerSecond ... (several rounds: the median).
/// </summary>
internal static class EchoChart
{
    private const string Reference = "c";

    public static Plot Draw(BenchDocument document)
    {
        var rows = document.Rows.Where(r => r.Text("client") == "wirekit" && r.Text("profile") != "-").ToArray();
        var groups = rows.Select(r => (Profile: r.Text("profile"), Clients: r.Text("clients"))).Distinct().ToArray();
        var servers = rows.Select(r => r.Text("server")).Distinct().ToArray();

        double? Rate(string server, (string Profile, string Clients) group) => GroupedBars.Median(rows
            .Where(r => r.Text("server") == server && r.Text("profile") == group.Profile && r.Text("clients") == group.Clients)
            .Select(r => r.Number("msgPerSecond")));

        var series = servers.Select(server =>
        {
            var rates = groups.Select(g => Rate(server, g)).ToArray();
            var ratios = groups.Select((g, i) => rates[i] / Rate(Reference, g)).ToArray();
            return new BarSeries(
                server == Reference ? "C epoll (reference)" : server,
                ratios,
                [.. rates.Select(rate => rate is { } r ? GroupedBars.Human(r) : null)]);
        }).ToArray();

        var plot = GroupedBars.Draw(
            "Echo: each engine vs the C epoll server (wirekit bench echo, 32 B messages)",
            "messages/s as a ratio to the C server",
            [.. groups.Select(g => $"{g.Profile}, {g.Clients} client{(g.Clients == "1" ? "" : "s")}")],
            series);
        plot.Add.HorizontalLine(1, pattern: LinePattern.Dashed, color: Colors.Gray);
        return plot;
    }
}
