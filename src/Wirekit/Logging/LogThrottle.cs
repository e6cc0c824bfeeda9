using System.Diagnostics;

namespace Wirekit.Logging;

/// <summary>
/// Bounds how often one kind of log event is written: the first <c>burst</c> events of each interval pass, the rest
/// are counted, and the next event that passes carries the count of those suppressed before it, so the log says
/// how many there were without writing each. A client that makes 50,000 bad requests a second costs a few lines,
/// not megabytes. One throttle per event kind and per source (a session, a peer address, an accept loop).
/// </summary>
internal sealed class LogThrottle
{
    private readonly Lock _lock = new();
    private readonly int _burst;
    private readonly long _intervalTicks;
    private long _windowStart;
    private int _passedInWindow;
    private long _suppressed;

    /// <param name="burst">Events written per interval before the rest are only counted.</param>
    /// <param name="interval">Length of one window.</param>
    public LogThrottle(int burst, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _burst = burst;
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _windowStart = Stopwatch.GetTimestamp() - _intervalTicks;
    }

    /// <summary>Events counted but not written since the last one that passed.</summary>
    public long Pending
    {
        get
        {
            lock (_lock)
            {
                return _suppressed;
            }
        }
    }

    /// <summary>
    /// True when this event may be written; <paramref name="suppressedBefore"/> is then the number of events
    /// swallowed since the last one written (0 for none), for the caller to mention.
    /// </summary>
    public bool TryPass(out long suppressedBefore)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (now - _windowStart >= _intervalTicks)
            {
                _windowStart = now;
                _passedInWindow = 0;
            }

            if (_passedInWindow < _burst)
            {
                _passedInWindow++;
                suppressedBefore = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressedBefore = 0;
            return false;
        }
    }
}
