using System.Diagnostics;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// Write coalescing for bytes queued from other threads (a chat room's fan-out), one per server when
/// <see cref="ServerOptions.FlushCoalescing"/> is set. A session told to flush less than one window ago is not told
/// again at once: it goes on a list, and one loop per server flushes the whole list a window later. So a member who
/// receives a message now and then gets each at once, as before, while a member receiving a stream (a thousand lines
/// a second from a busy room) gets them a window's worth per send instead of one send, one wake-up and one receive at
/// its end per line: at 1,000,000 deliveries a second that is what decides whether two cores keep up. Order cannot
/// change (each session's bytes stay in its one queue); only when they leave does. A close flushes at once, past this.
/// </summary>
internal sealed class FlushCoalescer
{
    private readonly long _windowTicks;
    private readonly TimeSpan _window;
    private readonly Lock _lock = new();
    private readonly AsyncSignal _due = new();
    private List<Session> _waiting = [];
    private List<Session> _flushing = [];

    public FlushCoalescer(TimeSpan window)
    {
        _window = window;
        _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>
    /// True when <paramref name="session"/>'s flush waits for the next pass (it is on the list now, or was already);
    /// false when the caller should schedule it at once (its last flush request is a window old).
    /// </summary>
    public bool Defers(Session session)
    {
        if (Volatile.Read(ref session.FlushDeferred) != 0)
        {
            return true; // on the list: the pass clears the mark only after these bytes were queued, then flushes
        }

        var now = Stopwatch.GetTimestamp();
        var last = Volatile.Read(ref session.LastFlushRequest);
        if (last == 0 || now - last >= _windowTicks) // 0: never asked, however young the clock is
        {
            Volatile.Write(ref session.LastFlushRequest, now);
            return false;
        }

        if (Interlocked.Exchange(ref session.FlushDeferred, 1) == 0)
        {
            lock (_lock)
            {
                _waiting.Add(session);
            }

            _due.Set();
        }

        return true;
    }

    /// <summary>Flushes the list a window after something joined it, until <paramref name="stopping"/>; a stop flushes what is left.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        // The stop must wake the wait too: with nothing due, nothing else would, and the server's stop awaits this loop.
        using var wake = stopping.Register(_due.Set);
        try
        {
            while (true)
            {
                await _due.WaitAsync().ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
                await Task.Delay(_window, stopping).ConfigureAwait(false);
                FlushWaiting();
            }
        }
        catch (OperationCanceledException)
        {
            FlushWaiting();
        }
    }

    private void FlushWaiting()
    {
        // Two lists swapped, so a pass allocates nothing and joins made during it land on the next one.
        lock (_lock)
        {
            (_waiting, _flushing) = (_flushing, _waiting);
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var session in _flushing)
        {
            // Time first, mark second, flush last: bytes queued after the mark was cleared either schedule their own
            // flush or go on the next list, and bytes queued before it are covered by this flush.
            Volatile.Write(ref session.LastFlushRequest, now);
            Volatile.Write(ref session.FlushDeferred, 0);
            session.RequestFlushNow();
        }

        _flushing.Clear();
    }
}
