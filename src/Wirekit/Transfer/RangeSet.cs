namespace Wirekit.Transfer;

/// <summary>
/// Byte ranges of a file known to be on disk: sorted, disjoint, never touching (adjacent ranges are merged). Pure;
/// the download journal stores one and --resume fetches its complement.
/// </summary>
internal sealed class RangeSet
{
    private readonly List<(long Start, long End)> _ranges = [];

    public RangeSet()
    {
    }

    public RangeSet(IEnumerable<(long Start, long End)> ranges)
    {
        foreach (var (start, end) in ranges)
        {
            Add(start, end);
        }
    }

    /// <summary>The ranges as half-open [Start, End) pairs, in order.</summary>
    public IReadOnlyList<(long Start, long End)> Ranges => _ranges;

    /// <summary>Bytes covered.</summary>
    public long Total => _ranges.Sum(r => r.End - r.Start);

    /// <summary>Where the last range ends: nothing past it is known good.</summary>
    public long End => _ranges.Count == 0 ? 0 : _ranges[^1].End;

    /// <summary>Length of the range that starts at byte 0, if any.</summary>
    public long Prefix => _ranges.Count > 0 && _ranges[0].Start == 0 ? _ranges[0].End : 0;

    public RangeSet Clone() => new(_ranges);

    /// <summary>Adds [start, end), merging with whatever it overlaps or touches. An empty range changes nothing.</summary>
    public void Add(long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        if (start == end)
        {
            return;
        }

        var i = 0;
        while (i < _ranges.Count && _ranges[i].End < start)
        {
            i++;
        }

        while (i < _ranges.Count && _ranges[i].Start <= end)
        {
            start = Math.Min(start, _ranges[i].Start);
            end = Math.Max(end, _ranges[i].End);
            _ranges.RemoveAt(i);
        }

        _ranges.Insert(i, (start, end));
    }

    /// <summary>What [0, size) still lacks, in order.</summary>
    public List<(long Start, long End)> Missing(long size)
    {
        var missing = new List<(long, long)>();
        long position = 0;
        foreach (var (start, end) in _ranges)
        {
            if (start >= size)
            {
                break;
            }

            if (start > position)
            {
                missing.Add((position, start));
            }

            position = Math.Max(position, end);
        }

        if (position < size)
        {
            missing.Add((position, size));
        }

        return missing;
    }

    /// <summary>
    /// Keeps at most <paramref name="count"/> ranges by forgetting the smallest (never the prefix): forgetting is
    /// always safe, those bytes are fetched again. Bounds the journal however often a download was interrupted.
    /// </summary>
    public void KeepAtMost(int count)
    {
        while (_ranges.Count > count)
        {
            var smallest = _ranges.Count > 1 && _ranges[0].Start == 0 ? 1 : 0;
            for (var i = smallest + 1; i < _ranges.Count; i++)
            {
                if (_ranges[i].End - _ranges[i].Start < _ranges[smallest].End - _ranges[smallest].Start)
                {
                    smallest = i;
                }
            }

            _ranges.RemoveAt(smallest);
        }
    }
}
