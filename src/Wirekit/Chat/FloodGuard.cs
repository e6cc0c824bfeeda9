using System.Diagnostics;

namespace Wirekit.Chat;

/// <summary>What a session's latest message means for flooding.</summary>
internal enum FloodVerdict
{
    Allowed,

    /// <summary>The first offence: drop the message and warn.</summary>
    Warn,

    /// <summary>An offence after the warning: disconnect.</summary>
    Disconnect,
}

/// <summary>
/// The seed's chat-DoS defence for one session: a token bucket (a rate with a burst allowance) and repeat detection
/// (the same text too many times in a row). One warning per session, then the next offence disconnects. Pure: the
/// caller passes the clock, so tests drive time.
/// </summary>
internal sealed class FloodGuard
{
    private readonly double _ratePerTick;
    private readonly double _burst;
    private readonly int _maxRepeats;
    private double _tokens;
    private long _lastRefill;
    private int _repeatHash;
    private int _repeats;
    private bool _warned;

    /// <param name="ratePerSecond">Sustained messages per second; 0 turns the rate limit off.</param>
    /// <param name="burst">Messages allowed at once after a quiet spell.</param>
    /// <param name="maxRepeats">Identical messages allowed in a row; 0 turns repeat detection off.</param>
    /// <param name="now">The clock at creation, in <see cref="Stopwatch"/> ticks.</param>
    public FloodGuard(double ratePerSecond, int burst, int maxRepeats, long now)
    {
        _ratePerTick = ratePerSecond / Stopwatch.Frequency;
        _burst = Math.Max(1, burst);
        _maxRepeats = maxRepeats;
        _tokens = _burst;
        _lastRefill = now;
    }

    public FloodVerdict Check(ReadOnlySpan<byte> message, long now) => Judge(offence: !TakeToken(now) | IsRepeat(message));

    /// <summary>
    /// A message that was not kept (longer than the limit, skipped to its terminator): it costs a token like any
    /// other, so a stream of over-long lines is flooding too. Its text is unknown, so it cannot count as a repeat.
    /// </summary>
    public FloodVerdict CheckUnread(long now) => Judge(offence: !TakeToken(now));

    private FloodVerdict Judge(bool offence)
    {
        if (!offence)
        {
            return FloodVerdict.Allowed;
        }

        if (_warned)
        {
            return FloodVerdict.Disconnect;
        }

        _warned = true;
        return FloodVerdict.Warn;
    }

    private bool TakeToken(long now)
    {
        if (_ratePerTick <= 0)
        {
            return true;
        }

        _tokens = Math.Min(_burst, _tokens + ((now - _lastRefill) * _ratePerTick));
        _lastRefill = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    private bool IsRepeat(ReadOnlySpan<byte> message)
    {
        if (_maxRepeats <= 0)
        {
            return false;
        }

        // A hash, not the text: holding the last message would cost up to --max-message bytes per session.
        var hasher = default(HashCode);
        hasher.AddBytes(message);
        var hash = hasher.ToHashCode();
        if (hash == _repeatHash && _repeats > 0)
        {
            _repeats++;
        }
        else
        {
            _repeatHash = hash;
            _repeats = 1;
        }

        return _repeats > _maxRepeats;
    }
}
