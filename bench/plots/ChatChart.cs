using ScottPlot;

namespace Wirekit.Plots;

/// <summary>
/// bench/chat.sh: deliveries/s against the deliveries/s offered (rate x members), one line per engine and room
/// size, both axes log10, with the line where everything offered arrives. A point under it is what the engine did
/// not deliver (members dropped as too slow). Rows: engine members rate offeredPerSecond deliveriesPerSecond ...
/// </summary>
internal static class ChatChart
{
    public static Plot Draw(BenchDocument document)
    {
        var rows = document.Rows.Where(r => r.Number("offeredPerSecond") > 0 && r.Number("deliveriesPerSecond") > 0).ToArray();
        var groups = rows.Select(r => (Engine: r.Text("engine"), Members: r.Text("members"))).Distinct().ToArray();
        var engines = groups.Select(g => g.Engine).Distinct().ToList();
        var plot = new Plot();
        var sizes = groups.Select(g => g.Members).Distinct().ToList();
        foreach (var (engine, members) in groups)
        {
            var points = rows.Where(r => r.Text("engine") == engine && r.Text("members") == members)
                .OrderBy(r => r.Number("offeredPerSecond")).ToArray();
            var line = plot.Add.Scatter(
                points.Select(r => Math.Log10(r.Number("offeredPerSecond")!.Value)).ToArray(),
                points.Select(r => Math.Log10(r.Number("deliveriesPerSecond")!.Value)).ToArray());
            line.LegendText = sizes.Count == 1 ? engine : $"{engine}, {members} members";
            line.Color = plot.Add.Palette.GetColor(engines.IndexOf(engine));
            // Room sizes by marker, not by dashes: the SVG backend draws no dash pattern.
            line.MarkerShape = sizes.IndexOf(members) == 0 ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
            line.MarkerSize = 7;
        }

        var all = rows.SelectMany(r => new[] { r.Number("offeredPerSecond")!.Value, r.Number("deliveriesPerSecond")!.Value }).ToArray();
        var low = Math.Floor(Math.Log10(all.Min()));
        var high = Math.Ceiling(Math.Log10(all.Max()));
        var everything = plot.Add.Line(low, low, high, high);
        everything.Color = Colors.Gray.WithAlpha(0.6);
        everything.LegendText = "all offered delivered";

        plot.Axes.Bottom.TickGenerator = Decades(low, high);
        plot.Axes.Left.TickGenerator = Decades(low, high);
        plot.Axes.SetLimits(low, high, low, high);
        plot.Title("Chat fan-out: deliveries/s vs offered, per engine (wirekit bench chat, one sender)");
        plot.XLabel("offered deliveries/s (rate x members)");
        plot.YLabel("deliveries/s");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static ScottPlot.TickGenerators.NumericManual Decades(double low, double high)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = low; decade <= high; decade++)
        {
            ticks.AddMajor(decade, GroupedBars.Human(Math.Pow(10, decade)));
        }

        return ticks;
    }
}
