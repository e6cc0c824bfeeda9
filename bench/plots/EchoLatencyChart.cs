using ScottPlot;

namespace Wirekit.Plots;

/// <summary>
/// bench/echo.sh, second picture: the ping-pong profile's latency percentile curves (p50, p99, p99.9 of Wirekit's
/// client, which loads every server), one curve per server and client count. The x axis is -log10(1 - p), the
/// usual way to spread a latency distribution's tail: p50, p99 and p99.9 land at 0.3, 2 and 3. A throughput
/// profile's latency is the time in a full pipeline, a queue by design, so it is left out. The y axis is log10 too.
/// </summary>
internal static class EchoLatencyChart
{
    private static readonly (string Column, double Percentile, string Label)[] Points =
        [("p50Us", 0.5, "p50"), ("p99Us", 0.99, "p99"), ("p999Us", 0.999, "p99.9")];

    public static Plot Draw(BenchDocument document)
    {
        var rows = document.Rows.Where(r => r.Text("client") == "wirekit" && r.Text("profile") == "pingpong").ToArray();
        var servers = rows.Select(r => r.Text("server")).Distinct().ToArray();
        var clientCounts = rows.Select(r => r.Text("clients")).Distinct().ToArray();
        var plot = new Plot();
        for (var s = 0; s < servers.Length; s++)
        {
            for (var c = 0; c < clientCounts.Length; c++)
            {
                var group = rows.Where(r => r.Text("server") == servers[s] && r.Text("clients") == clientCounts[c]).ToArray();
                var points = Points
                    .Select(p => (X: -Math.Log10(1 - p.Percentile), Y: GroupedBars.Median(group.Select(r => r.Number(p.Column)))))
                    .Where(p => p.Y is not null)
                    .ToArray();
                if (points.Length == 0)
                {
                    continue;
                }

                var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y!.Value)).ToArray());
                var name = servers[s] == "c" ? "C epoll" : servers[s];
                line.LegendText = $"{name}, {clientCounts[c]} client{(clientCounts[c] == "1" ? "" : "s")}";
                line.Color = plot.Add.Palette.GetColor(s);
                // Client counts by marker, not by dashes: the SVG backend draws no dash pattern.
                line.MarkerShape = c switch { 0 => MarkerShape.FilledCircle, 1 => MarkerShape.FilledSquare, _ => MarkerShape.FilledTriangleUp };
                line.MarkerSize = 7;
            }
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (_, percentile, label) in Points)
        {
            ticks.AddMajor(-Math.Log10(1 - percentile), label);
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        // One client's round trip is tens of µs, a thousand clients' tens of ms: a log axis shows both.
        var all = rows.SelectMany(r => Points.Select(p => r.Number(p.Column))).OfType<double>().Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        var low = Math.Floor(Math.Log10(all.Min()));
        var high = Math.Ceiling(Math.Log10(all.Max()));
        var decades = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = low; decade <= high; decade++)
        {
            var us = Math.Pow(10, decade);
            decades.AddMajor(decade, us >= 1000 ? $"{us / 1000:0.###} ms" : $"{us:0} µs");
        }

        plot.Axes.Left.TickGenerator = decades;
        plot.Axes.SetLimitsY(low, high);
        plot.Title("Echo ping-pong latency percentiles (wirekit bench echo, 32 B, one message in flight per client)");
        plot.XLabel("percentile");
        plot.YLabel("round trip (median of the rounds)");
        plot.Axes.SetLimitsX(0, 3.3);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
