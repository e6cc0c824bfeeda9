using System.Diagnostics;
using System.Net;
using Wirekit.Logging;

namespace Wirekit.Access;

/// <summary>
/// One log line per peer address per interval (a minute for refusals): a denied host that retries in a loop writes a
/// line a minute, with the count of attempts not logged before it, while a new address is logged at once. The table
/// is bounded: when it is full, entries whose interval has passed are dropped, and if it is still full (a flood from
/// more addresses than it holds) the overflow shares one <see cref="LogThrottle"/>, so the log stays bounded either way.
/// </summary>
internal sealed class AddressLogThrottle
{
    private readonly Dictionary<IPAddress, Entry> _entries = new();
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly long _intervalTicks;
    private readonly LogThrottle _overflow;

    public AddressLogThrottle(TimeSpan interval, int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _overflow = new LogThrottle(burst: 5, interval);
    }

    /// <summary>Addresses remembered now; never more than the capacity.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// True when an event from <paramref name="address"/> may be written now; <paramref name="suppressedBefore"/> is
    /// then how many were counted and not written since the last line for it (or, for the overflow, for any address).
    /// </summary>
    public bool TryPass(IPAddress address, out long suppressedBefore)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue(address, out var entry))
            {
                if (now - entry.LoggedAt < _intervalTicks)
                {
                    _entries[address] = entry with { Suppressed = entry.Suppressed + 1 };
                    suppressedBefore = 0;
                    return false;
                }

                _entries[address] = new Entry(now, 0);
                suppressedBefore = entry.Suppressed;
                return true;
            }

            if (_entries.Count >= _capacity)
            {
                DropExpired(now);
            }

            if (_entries.Count < _capacity)
            {
                _entries[address] = new Entry(now, 0);
                suppressedBefore = 0;
                return true;
            }
        }

        return _overflow.TryPass(out suppressedBefore);
    }

    private void DropExpired(long now)
    {
        // Events counted for an expired entry are lost with it: the line that would have carried them is never due.
        foreach (var (address, entry) in _entries)
        {
            if (now - entry.LoggedAt >= _intervalTicks)
            {
                _entries.Remove(address);
            }
        }
    }

    private readonly record struct Entry(long LoggedAt, long Suppressed);
}
