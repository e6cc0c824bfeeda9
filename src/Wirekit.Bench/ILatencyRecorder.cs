namespace Wirekit.Bench;

/// <summary>
/// Where a load worker puts round-trip times. One recorder per worker thread, so implementations need no locking
/// (HdrHistogram's <c>LongHistogram</c> in the CLI); the library stays free of a histogram dependency.
/// </summary>
public interface ILatencyRecorder
{
    /// <summary>Records <paramref name="count"/> messages that all took <paramref name="nanoseconds"/> to come back.</summary>
    void Record(long nanoseconds, long count);

    /// <summary>Forgets everything recorded so far: called when the warm-up ends.</summary>
    void Reset();
}

/// <summary>For callers that only want counts (tests, the connection probe).</summary>
internal sealed class NullLatencyRecorder : ILatencyRecorder
{
    public static readonly NullLatencyRecorder Instance = new();

    public void Record(long nanoseconds, long count)
    {
    }

    public void Reset()
    {
    }
}
