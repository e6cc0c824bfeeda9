using HdrHistogram;
using Wirekit.Bench;

namespace Wirekit.Cli.Bench;

/// <summary>
/// HdrHistogram behind the library's recorder interface: one per load worker thread (LongHistogram is not
/// thread-safe), merged once the run is over.
/// </summary>
internal sealed class HdrLatencyRecorder : ILatencyRecorder
{
    // 1 ns to 60 s at 3 significant digits: loopback round trips are microseconds, a stalled server is seconds.
    private const long HighestTrackableNanoseconds = 60L * 1_000_000_000;

    public LongHistogram Histogram { get; } = new(HighestTrackableNanoseconds, 3);

    public void Record(long nanoseconds, long count)
        => Histogram.RecordValueWithCount(Math.Clamp(nanoseconds, 1, HighestTrackableNanoseconds), count);

    public void Reset() => Histogram.Reset();

    /// <summary>Adds every recorder's counts into one histogram.</summary>
    public static LongHistogram Merge(IEnumerable<HdrLatencyRecorder> recorders)
    {
        var merged = new LongHistogram(HighestTrackableNanoseconds, 3);
        foreach (var recorder in recorders)
        {
            merged.Add(recorder.Histogram);
        }

        return merged;
    }
}
