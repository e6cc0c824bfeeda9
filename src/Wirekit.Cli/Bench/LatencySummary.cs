using HdrHistogram;

namespace Wirekit.Cli.Bench;

/// <summary>Round-trip percentiles in microseconds, as printed and as written to JSON.</summary>
internal sealed record LatencySummary(long Samples, double P50Us, double P99Us, double P999Us, double MaxUs, double MeanUs)
{
    public static LatencySummary From(LongHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        return new LatencySummary(
            histogram.TotalCount,
            Micros(histogram.GetValueAtPercentile(50)),
            Micros(histogram.GetValueAtPercentile(99)),
            Micros(histogram.GetValueAtPercentile(99.9)),
            Micros(histogram.GetMaxValue()),
            Math.Round(histogram.GetMean() / 1000.0, 1));
    }

    private static double Micros(long nanoseconds) => Math.Round(nanoseconds / 1000.0, 1);
}
