using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>How a session ends: once its loops are done (<see cref="Complete"/>), or cut short at shutdown (<see cref="Abort"/>).</summary>
internal abstract partial class Session
{
    /// <summary>Ends the session once its loops are done: frees the queue, closes the socket, tells the service.</summary>
    internal void Complete()
    {
        Close(DisconnectReason.PeerClosed);
        var reason = CloseReason;
        if (SocketErrors.FlushesBeforeClose(reason))
        {
            // FIN after the last byte; the peer, not us, then holds TIME_WAIT when it closed first.
            TryShutdownSend();
        }
        else
        {
            // An abortive close (RST) for dead, flooding or stalled peers: nothing more is owed to them.
            TrySetAbortiveLinger();
        }

        Socket.Dispose();
        Outbound.Dispose();
        if (Context.Registry.Remove(this))
        {
            Context.Access.Release(Context.Access.IsActive ? RemoteEndPoint.Address : null);
        }

        Context.Metrics.Closed(reason);
        // A reset is the network's everyday business (Debug); timeouts, slow consumers and errors are worth a warning,
        // but a bounded number of them: 10,000 members timing out at once must not write 10,000 lines.
        // A handshake timeout was logged by the deadline, once per address per minute; a failed TLS handshake has had
        // its one line from the TLS layer, with the reason.
        if (reason is DisconnectReason.PeerClosed or DisconnectReason.ServerShutdown or DisconnectReason.ClosedByService or DisconnectReason.PeerReset
            or DisconnectReason.HandshakeTimeout or DisconnectReason.TlsHandshakeFailed)
        {
            SessionLog.Closed(Context.Logger, Id, RemoteEndPoint, reason);
        }
        else if (Context.AbnormalCloseLog.TryPass(out var suppressed))
        {
            SessionLog.ClosedAbnormally(Context.Logger, Id, RemoteEndPoint, reason, suppressed);
        }

        // A session that never opened (its TLS handshake failed) was never the service's: it hears nothing of it.
        try
        {
            if (_opened)
            {
                Context.Service?.OnDisconnected(this, reason);
            }
        }
        catch (Exception e)
        {
            SessionLog.ServiceFailed(Context.Logger, Id, e);
        }
    }

    /// <summary>Closes at once, without flushing: shutdown's last resort for peers that will not take their bytes.</summary>
    internal void Abort()
    {
        Close(DisconnectReason.ServerShutdown);
        TrySetAbortiveLinger();
        Socket.Dispose();
    }

    private void TryShutdownSend()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void TrySetAbortiveLinger()
    {
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
