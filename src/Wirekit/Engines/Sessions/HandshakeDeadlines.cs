using System.Diagnostics;
using Wirekit.Access;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// The handshake deadline for every engine (<see cref="ServerOptions.HandshakeTimeout"/>): a session that has not
/// completed its handshake (TLS, then its first complete line, frame or header: the service says when, with
/// <see cref="ISession.MarkEstablished"/>) within the timeout is closed with <see cref="DisconnectReason.HandshakeTimeout"/>.
/// No timer per connection: every session gets the same timeout, so deadlines fall due in accept order and one FIFO
/// queue swept a few times per timeout holds them all (a timer wheel with one slot). Watching costs an enqueue per
/// accept; a sweep pops what fell due and skips, at no cost, the sessions that established or closed meanwhile. The
/// queue holds at most the sessions accepted within one timeout (10,000 slowloris connections: 10,000 entries of 16 bytes).
/// </summary>
internal sealed class HandshakeDeadlines
{
    private readonly Queue<Watched> _pending = new();
    private readonly Lock _lock = new();
    private readonly ServerContext _context;
    private readonly long _timeoutTicks;

    public HandshakeDeadlines(ServerContext context, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _context = context;
        Timeout = timeout;
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public TimeSpan Timeout { get; }

    /// <summary>Sessions watched and not yet swept (some may have established or closed since).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How often the sweep runs: eight times per timeout, so a deadline is met within an eighth of it; 20 ms to 1 s.</summary>
    private TimeSpan SweepPeriod => TimeSpan.FromTicks(Math.Clamp(Timeout.Ticks / 8, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>Starts the clock for a session just admitted.</summary>
    public void Watch(Session session)
    {
        var deadline = Stopwatch.GetTimestamp() + _timeoutTicks;
        session.WatchHandshake();
        lock (_lock)
        {
            _pending.Enqueue(new Watched(session, deadline));
        }
    }

    /// <summary>Sweeps until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SweepPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                Sweep(Stopwatch.GetTimestamp());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Closes every session whose deadline is at or before <paramref name="now"/> and that has not established. Returns how many.</summary>
    internal int Sweep(long now)
    {
        var expired = 0;
        while (TryTakeDue(now, out var session))
        {
            if (session.IsEstablished || session.IsClosing)
            {
                continue;
            }

            Expire(session);
            expired++;
        }

        return expired;
    }

    private bool TryTakeDue(long now, out Session session)
    {
        lock (_lock)
        {
            if (_pending.TryPeek(out var first) && first.Deadline <= now)
            {
                _pending.Dequeue();
                session = first.Session;
                return true;
            }
        }

        session = null!;
        return false;
    }

    private void Expire(Session session)
    {
        _context.Metrics.Refused(Refusal.HandshakeTimeout);
        if (_context.Access.HandshakeTimeoutLog.TryPass(session.RemoteEndPoint.Address, out var suppressed))
        {
            SessionLog.HandshakeTimedOut(_context.Logger, session.RemoteEndPoint.Address, Timeout.TotalSeconds, suppressed);
        }

        session.Close(DisconnectReason.HandshakeTimeout);
    }

    private readonly record struct Watched(Session Session, long Deadline);
}
