using System.Net.Sockets;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Select;

/// <summary>
/// A session on the readiness engine: non-blocking socket, every receive and send made by the one loop thread when
/// select/poll says the socket is ready. Other threads only queue bytes and wake the loop; they never touch the
/// socket, so closing is the loop's job too.
/// </summary>
internal sealed class SelectSession : Session
{
    private readonly SelectServer _server;

    public SelectSession(long id, Socket socket, ServerContext context, SelectServer server)
        : base(id, socket, context)
    {
        _server = server;
        socket.Blocking = false;
    }

    /// <summary>Wants a read-readiness check: open, and not owing the peer more than the pause threshold.</summary>
    public bool WantsRead => !IsClosing && !ShouldPauseReceiving;

    /// <summary>Owes the peer bytes it may still send: open, or closing gracefully with output queued.</summary>
    public bool WantsWrite => OwesFinalFlush;

    /// <summary>Closing, with nothing left that it may still send.</summary>
    public bool IsFinished => IsClosing && !WantsWrite;

    public void OnReadable(byte[] buffer)
    {
        var received = Socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Close(SocketErrors.Classify(error));
            return;
        }

        if (received == 0)
        {
            Close(DisconnectReason.PeerClosed);
            return;
        }

        Deliver(buffer.AsSpan(0, received));
        // Answer in the same pass, as the C reference does: most of the time the send buffer has room.
        OnWritable();
    }

    /// <summary>
    /// Only the loop thread flushes, so the gate is always free here; taking it keeps the one flush loop shared with
    /// the other engines. Would-block leaves it for the next writable pass.
    /// </summary>
    public void OnWritable()
    {
        if (Outbound.Count > 0 && Outbound.TryAcquireFlush() && FlushQueued() == FlushResult.WouldBlock)
        {
            Outbound.YieldFlush();
        }
    }

    public void CloseAfter(Exception exception) => CloseOnError(exception);

    protected override void ScheduleFlush() => _server.WakeFromOtherThread();

    /// <summary>Nothing to wake: the loop re-checks <see cref="WantsRead"/> on every pass.</summary>
    protected override void WakeReceiver()
    {
    }

    /// <summary>The loop sees the close on its next pass; only it touches the socket.</summary>
    protected override void OnCloseRequested(DisconnectReason reason) => _server.WakeFromOtherThread();
}
