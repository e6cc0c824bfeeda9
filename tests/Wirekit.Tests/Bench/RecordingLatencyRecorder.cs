using Wirekit.Bench;

namespace Wirekit.Tests.Bench;

/// <summary>Keeps every sample, so tests can check what the bookkeeping recorded and how often it was reset.</summary>
internal sealed class RecordingLatencyRecorder : ILatencyRecorder
{
    public List<(long Nanoseconds, long Count)> Samples { get; } = [];

    public int Resets { get; private set; }

    public long Messages => Samples.Sum(s => s.Count);

    public void Record(long nanoseconds, long count) => Samples.Add((nanoseconds, count));

    public void Reset()
    {
        Samples.Clear();
        Resets++;
    }
}
