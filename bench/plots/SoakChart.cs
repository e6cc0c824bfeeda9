using ScottPlot;

namespace Wirekit.Plots;

/// <summary>
/// bench/soak.sh: each server's RSS over the run, one line per server, with the end of the load marked (after it
/// the servers should settle, not grow). Rows: t phase server rssKiB threads fds sockets gcHeapBytes.
/// </summary>
internal static class SoakChart
{
    public static Plot Draw(BenchDocument document)
    {
        var plot = new Plot();
        var servers = document.Rows.Select(r => r.Text("server")).Distinct().ToArray();
        for (var s = 0; s < servers.Length; s++)
        {
            var samples = document.Rows.Where(r => r.Text("server") == servers[s] && r.Number("rssKiB") is not null).ToArray();
            var line = plot.Add.Scatter(
                samples.Select(r => (r.Number("t") ?? 0) / 60).ToArray(),
                samples.Select(r => r.Number("rssKiB")!.Value / 1024).ToArray());
            line.LegendText = servers[s];
            line.Color = plot.Add.Palette.GetColor(s);
            line.MarkerSize = 3;
        }

        var loadEnd = document.Rows.Where(r => r.Text("phase") == "load").Select(r => r.Number("t") ?? 0).DefaultIfEmpty(0).Max();
        var end = plot.Add.VerticalLine(loadEnd / 60, pattern: LinePattern.Dashed, color: Colors.Gray);
        end.LegendText = "load stops";
        plot.Title("Soak: server RSS under a steady mixed load");
        plot.XLabel("minutes since the load started");
        plot.YLabel("RSS (MiB)");
        plot.Axes.SetLimitsY(0, document.Rows.Select(r => r.Number("rssKiB") ?? 0).Max() / 1024 * 1.2);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
