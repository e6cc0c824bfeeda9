using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Wirekit.Cli.Hosting;

/// <summary>How an instrument is shown to Prometheus.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// One instrument's series, one per tag set, aggregated as measurements arrive (on the servers' own threads, so
/// lock-free and, once a tag set has been seen, allocation-free: the tags are looked up as the span they arrive in).
/// </summary>
internal sealed class MetricsSeries
{
    /// <summary>Bucket bounds for byte histograms (the outbound queue): 64 B to the 1 MiB default queue bound.</summary>
    public static readonly long[] ByteBuckets = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576];

    private readonly ConcurrentDictionary<SeriesKey, SeriesValue> _series = new(SeriesKey.Comparer);

    public MetricsSeries(Instrument instrument)
    {
        Instrument = instrument;
        var type = instrument.GetType().GetGenericTypeDefinition();
        Kind = type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? MetricKind.Counter
            : type == typeof(Histogram<>) ? MetricKind.Histogram
            : MetricKind.Gauge;
        IsObservable = instrument.IsObservable;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>Observed at collection (a current value each time), not accumulated from events.</summary>
    public bool IsObservable { get; }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        switch (Kind)
        {
            case MetricKind.Histogram:
                series.Observe(value);
                break;
            case MetricKind.Gauge when IsObservable:
            case MetricKind.Counter when IsObservable:
                Volatile.Write(ref series.Value, value);
                break;
            default:
                Interlocked.Add(ref series.Value, value);
                break;
        }
    }

    /// <summary>Observable series are current values: forget servers that stopped before asking again.</summary>
    public void ClearObserved()
    {
        if (IsObservable)
        {
            _series.Clear();
        }
    }

    public IReadOnlyList<(SeriesKey Key, SeriesValue Value)> Snapshot()
    {
        return _series.Select(pair => (pair.Key, pair.Value)).OrderBy(pair => pair.Key.Text, StringComparer.Ordinal).ToArray();
    }

    private SeriesValue Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        if (lookup.TryGetValue(tags, out var series))
        {
            return series;
        }

        // First measurement of this tag set: two threads may race here, and TryAdd keeps one of them.
        lookup.TryAdd(tags, new SeriesValue(Kind == MetricKind.Histogram ? ByteBuckets.Length + 1 : 0));
        return lookup.TryGetValue(tags, out series) ? series : throw new InvalidOperationException("a series vanished as it was made");
    }
}

/// <summary>A series' figures: a value, or a histogram's bucket counts, sum and count.</summary>
internal sealed class SeriesValue(int buckets)
{
    public long Value;
    public long Sum;
    public long Count;

    /// <summary>Per bucket, not cumulative; the last one is +Inf.</summary>
    public readonly long[] Buckets = new long[buckets];

    public void Observe(long value)
    {
        var bucket = Array.BinarySearch(MetricsSeries.ByteBuckets, value);
        Interlocked.Increment(ref Buckets[bucket >= 0 ? bucket : ~bucket]);
        Interlocked.Add(ref Sum, value);
        Interlocked.Increment(ref Count);
    }
}

/// <summary>A tag set as the series' identity: the original values for comparing, their text for showing.</summary>
internal sealed class SeriesKey
{
    public static readonly KeyComparer Comparer = new();

    private SeriesKey(KeyValuePair<string, object?>[] tags)
    {
        Tags = tags;
        Labels = tags.Select(tag => (tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")).ToArray();
        Text = string.Join(",", Labels.Select(label => $"{label.Key}={label.Value}"));
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    public (string Key, string Value)[] Labels { get; }

    /// <summary>For ordering the output, so two scrapes list series alike.</summary>
    public string Text { get; }

    public string? this[string key] => Labels.FirstOrDefault(label => label.Key == key).Value;

    /// <summary>Compares a stored key with the span a measurement carries, so a known tag set needs no new key.</summary>
    internal sealed class KeyComparer : IEqualityComparer<SeriesKey>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, SeriesKey>
    {
        public bool Equals(SeriesKey? x, SeriesKey? y) => ReferenceEquals(x, y) || (x is not null && y is not null && Equals(x.Tags, y));

        public int GetHashCode(SeriesKey key) => GetHashCode(key.Tags);

        public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> tags, SeriesKey key)
        {
            if (tags.Length != key.Tags.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, key.Tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, key.Tags[i].Value))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var hash = new HashCode();
            foreach (var tag in tags)
            {
                hash.Add(tag.Key);
                hash.Add(tag.Value);
            }

            return hash.ToHashCode();
        }

        public SeriesKey Create(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(tags.ToArray());
    }
}
