using ScottPlot;

namespace Wirekit.Plots;

/// <summary>Which chart each kind of bench document becomes, and where its two files go.</summary>
internal static class Charts
{
    private const int Width = 1100;
    private const int Height = 500;

    private static readonly Dictionary<string, Func<BenchDocument, Plot>> ByKind = new()
    {
        ["echo"] = EchoChart.Draw,
        ["proxy"] = ProxyChart.Draw,
        ["connections"] = SmallCharts.Connections,
        ["file"] = SmallCharts.File,
        ["startup"] = SmallCharts.Startup,
        ["soak"] = SoakChart.Draw,
    };

    public static IEnumerable<string> Kinds => ByKind.Keys;

    /// <summary>Draws INPUT's chart into FOLDER/NAME.png and FOLDER/NAME.svg (NAME: INPUT without .json); returns both paths.</summary>
    public static IReadOnlyList<string> Draw(string input, string folder)
    {
        var document = BenchDocument.Read(input);
        if (!ByKind.TryGetValue(document.Kind, out var draw))
        {
            throw new InvalidDataException($"{input}: unknown kind '{document.Kind}' (kinds: {string.Join(", ", Kinds)})");
        }

        if (document.Rows.Count == 0)
        {
            throw new InvalidDataException($"{input}: no rows to plot");
        }

        var plot = draw(document);
        // The command that made the figures, under the chart: a picture without it cannot be reproduced.
        plot.Axes.Bottom.Label.Text = $"{plot.Axes.Bottom.Label.Text}\n{document.Command}".Trim();
        Directory.CreateDirectory(folder);
        var name = Path.Combine(folder, Path.GetFileNameWithoutExtension(input));
        plot.SavePng($"{name}.png", Width, Height);
        plot.SaveSvg($"{name}.svg", Width, Height);
        return [$"{name}.png", $"{name}.svg"];
    }
}
