using System.Net.Sockets;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Select;

/// <summary>
/// A session on the readiness engine: non-blocking socket, every receive and send made by the one loop thread when
/// select/poll says the socket is ready. Other threads only queue bytes and wake the loop.
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

    public bool WantsWrite => Outbound.Count > 0 && (!IsClosing || SocketErrors.FlushesBeforeClose(CloseReason));

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

    public void OnWritable()
    {
        while (Outbound.TryPeek(out var segment))
        {
            var sent = Socket.Send(segment.Array!, segment.Offset, segment.Count, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Close(SocketErrors.Classify(error));
                return;
            }

            Outbound.Advance(sent);
            if (sent < segment.Count)
            {
                return;
            }
        }
    }

    public void CloseAfter(Exception exception) => CloseOnError(exception);

    protected override void ScheduleFlush() => _server.WakeFromOtherThread();

    protected override void OnCloseRequested(DisconnectReason reason) => _server.WakeFromOtherThread();
}
