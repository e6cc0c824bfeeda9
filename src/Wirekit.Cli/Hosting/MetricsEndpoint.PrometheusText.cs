using System.Globalization;
using System.Text;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// Writes collected series in the Prometheus text exposition format (version 0.0.4): <c>wirekit.bytes.sent</c>
/// becomes <c>wirekit_bytes_sent_total</c>, a histogram its <c>_bucket</c> (cumulative, <c>le</c>), <c>_sum</c>
/// and <c>_count</c> lines.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IReadOnlyList<MetricsSeries> instruments)
    {
        var text = new StringBuilder();
        foreach (var instrument in instruments)
        {
            var name = NameOf(instrument);
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Instrument.Description ?? instrument.Instrument.Name)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(instrument.Kind.ToString().ToLowerInvariant()).Append('\n');
            foreach (var (key, value) in instrument.Snapshot())
            {
                if (instrument.Kind == MetricKind.Histogram)
                {
                    WriteHistogram(text, name, key, value);
                }
                else
                {
                    Line(text, name, key, null, Volatile.Read(ref value.Value));
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The Prometheus name of an instrument: dots to underscores, and counters end in _total.</summary>
    public static string NameOf(MetricsSeries instrument)
    {
        var name = instrument.Instrument.Name.Replace('.', '_');
        return instrument.Kind == MetricKind.Counter ? name + "_total" : name;
    }

    private static void WriteHistogram(StringBuilder text, string name, SeriesKey key, SeriesValue value)
    {
        long cumulative = 0;
        for (var i = 0; i < value.Buckets.Length; i++)
        {
            cumulative += Volatile.Read(ref value.Buckets[i]);
            var bound = i < MetricsSeries.ByteBuckets.Length ? MetricsSeries.ByteBuckets[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            Line(text, name + "_bucket", key, bound, cumulative);
        }

        Line(text, name + "_sum", key, null, Volatile.Read(ref value.Sum));
        Line(text, name + "_count", key, null, Volatile.Read(ref value.Count));
    }

    private static void Line(StringBuilder text, string name, SeriesKey key, string? le, long value)
    {
        text.Append(name);
        if (key.Labels.Length > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (label, labelValue) in key.Labels)
            {
                text.Append(first ? "" : ",").Append(label).Append("=\"").Append(EscapeLabel(labelValue)).Append('"');
                first = false;
            }

            if (le is not null)
            {
                text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");
}
