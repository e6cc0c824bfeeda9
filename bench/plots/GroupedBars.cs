using ScottPlot;

namespace Wirekit.Plots;

/// <summary>One series of a grouped bar chart: a value (or none) and the text printed above each bar, per group.</summary>
internal sealed record BarSeries(string Name, double?[] Values, string?[] Labels);

/// <summary>
/// The bar chart every bench table becomes: groups along the bottom (a profile, a path), one coloured bar per
/// series in each group, a legend naming the series, and each bar's own figure printed above it.
/// </summary>
internal static class GroupedBars
{
    public static Plot Draw(string title, string yLabel, IReadOnlyList<string> groups, IReadOnlyList<BarSeries> series)
    {
        var plot = new Plot();
        var slots = series.Count + 1; // one empty slot between groups
        for (var s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (var g = 0; g < groups.Count; g++)
            {
                if (series[s].Values[g] is not { } value)
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = g * slots + s,
                    Value = value,
                    Label = series[s].Labels[g] ?? "",
                    FillColor = plot.Add.Palette.GetColor(s),
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[s].Name;
            plottable.Color = plot.Add.Palette.GetColor(s);
            plottable.ValueLabelStyle.FontSize = series.Count > 3 ? 9 : 11;
        }

        var ticks = groups.Select((name, g) => new Tick(g * slots + (series.Count - 1) / 2.0, name)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(title);
        plot.YLabel(yLabel);
        // Outside the data area: a legend in a corner hides the tallest bar.
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>1.2 M, 45.3 k, 812: how the tables print message rates.</summary>
    public static string Human(double value)
        => value >= 1e6 ? $"{value / 1e6:0.0} M" : value >= 1e3 ? $"{value / 1e3:0.0} k" : $"{value:0}";

    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        return sorted.Length == 0 ? null
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
