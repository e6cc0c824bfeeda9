using ScottPlot;

namespace Wirekit.Plots;

/// <summary>Which chart each kind of bench document becomes, and where its two files go.</summary>
internal static class Charts
{
    private const int Width = 1100;
    private const int Height = 500;

    // Each kind's pictures: the first is NAME.png/.svg, any other NAME-SUFFIX.png/.svg.
    private static readonly Dictionary<string, (string Suffix, Func<BenchDocument, Plot> Draw)[]> ByKind = new()
    {
        ["echo"] = [("", EchoChart.Draw), ("-latency", EchoLatencyChart.Draw)],
        ["proxy"] = [("", ProxyChart.Draw)],
        ["connections"] = [("", SmallCharts.Connections)],
        ["file"] = [("", SmallCharts.File)],
        ["startup"] = [("", SmallCharts.Startup)],
        ["soak"] = [("", SoakChart.Draw)],
        ["chat"] = [("", ChatChart.Draw)],
    };

    public static IEnumerable<string> Kinds => ByKind.Keys;

    /// <summary>Draws INPUT's charts into FOLDER/NAME[-SUFFIX].png and .svg (NAME: INPUT without .json); returns the paths.</summary>
    public static IReadOnlyList<string> Draw(string input, string folder)
    {
        var document = BenchDocument.Read(input);
        if (!ByKind.TryGetValue(document.Kind, out var pictures))
        {
            throw new InvalidDataException($"{input}: unknown kind '{document.Kind}' (kinds: {string.Join(", ", Kinds)})");
        }

        if (document.Rows.Count == 0)
        {
            throw new InvalidDataException($"{input}: no rows to plot");
        }

        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (suffix, draw) in pictures)
        {
            var plot = draw(document);
            // The command that made the figures, under the chart: a picture without it cannot be reproduced.
            plot.Axes.Bottom.Label.Text = $"{plot.Axes.Bottom.Label.Text}\n{document.Command}".Trim();
            var name = Path.Combine(folder, Path.GetFileNameWithoutExtension(input) + suffix);
            plot.SavePng($"{name}.png", Width, Height);
            plot.SaveSvg($"{name}.svg", Width, Height);
            written.Add($"{name}.png");
            written.Add($"{name}.svg");
        }

        return written;
    }
}
