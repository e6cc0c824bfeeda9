using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>The flush loop every engine runs, and what a failed send does to the session.</summary>
internal abstract partial class Session
{
    /// <summary>When this session's flush was last asked for (<see cref="System.Diagnostics.Stopwatch"/> ticks), 0 before the first; only <see cref="FlushCoalescer"/> reads it.</summary>
    internal long LastFlushRequest;

    /// <summary>1 while the session waits on the <see cref="FlushCoalescer"/>'s list.</summary>
    internal int FlushDeferred;

    /// <summary>How a <see cref="FlushQueued"/> pass ended.</summary>
    protected enum FlushResult
    {
        /// <summary>Nothing left to send; the flush gate has been released.</summary>
        Drained,

        /// <summary>The kernel's send buffer is full; the caller still holds the gate and waits for room its own way.</summary>
        WouldBlock,

        /// <summary>A send failed: the session is closing, its queue dropped, and the gate stays taken for good.</summary>
        Failed,
    }

    /// <summary>
    /// Sends what is queued, in the socket's own blocking mode, until the queue is empty, the socket would block or a
    /// send fails. The caller holds the flush gate. On <see cref="FlushResult.Drained"/> the gate is released, after
    /// re-taking it and draining again for as long as bytes kept arriving (so none wait for a flush nobody schedules).
    /// </summary>
    protected FlushResult FlushQueued()
    {
        do
        {
            while (Outbound.TryPeek(out var segment))
            {
                int sent;
                SocketError error;
                try
                {
                    sent = Socket.Send(segment.Array!, segment.Offset, segment.Count, SocketFlags.None, out error);
                }
                catch (ObjectDisposedException e)
                {
                    // An abortive close on another thread disposed the socket between the peek and the send. On a
                    // writer thread an escaping exception would end the whole process.
                    FailSend(e);
                    return FlushResult.Failed;
                }

                if (error == SocketError.WouldBlock)
                {
                    return FlushResult.WouldBlock;
                }

                if (error != SocketError.Success)
                {
                    FailSend(SocketErrors.Classify(error));
                    return FlushResult.Failed;
                }

                Sent(sent);
            }
        }
        while (Outbound.ReleaseFlush());

        return FlushResult.Drained;
    }

    /// <summary>The <see cref="FlushCoalescer"/>'s pass: flush what queued up while this session waited on its list.</summary>
    internal void RequestFlushNow() => ScheduleFlush();

    /// <summary><paramref name="count"/> bytes left through a send the engine made itself (an awaited one, say).</summary>
    protected void Sent(int count)
    {
        Outbound.Advance(count);
        Context.Metrics.Sent(count);
        if (Volatile.Read(ref _receivePaused) != 0 && !ShouldPauseReceiving)
        {
            WakeReceiver();
        }
    }

    protected void FailSend(Exception exception) => FailSend(SocketErrors.Classify(exception));

    /// <summary>
    /// A send failed: whatever is queued can never be delivered. The queue is dropped at once, so no loop waits to
    /// flush it (a session left owing bytes to a dead socket was a ghost that a poll loop spun on forever). A peer
    /// that half-closed (<see cref="DisconnectReason.PeerClosed"/>) and then reset did not end gracefully after all:
    /// its reason becomes the failure's. The server's own reasons (a quit, a flood, shutdown) are kept: they say more.
    /// </summary>
    protected void FailSend(DisconnectReason failure)
    {
        Outbound.Dispose();
        var current = Volatile.Read(ref _closeReason);
        while (current is NotClosing or (int)DisconnectReason.PeerClosed)
        {
            var seen = Interlocked.CompareExchange(ref _closeReason, (int)failure, current);
            if (seen == current)
            {
                OnCloseRequested(failure);
                return;
            }

            current = seen;
        }
    }
}
