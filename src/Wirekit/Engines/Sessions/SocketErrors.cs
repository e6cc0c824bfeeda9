using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>The one place that decides what a socket error means for a session, and whether it deserves an Error log.</summary>
internal static class SocketErrors
{
    public static DisconnectReason Classify(SocketError error) => error switch
    {
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            or SocketError.NetworkReset or SocketError.NotConnected => DisconnectReason.PeerReset,
        // Keepalive probes unanswered end the connection with ETIMEDOUT: the zombie-session case. On an established
        // connection, unreachable errors are soft (RFC 1122): the kernel reports them only when its retransmission
        // or keepalive budget runs out, in place of ETIMEDOUT. A cut link ends that way too.
        SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.NetworkDown => DisconnectReason.Timeout,
        SocketError.OperationAborted or SocketError.Interrupted => DisconnectReason.ServerShutdown,
        _ => DisconnectReason.Error,
    };

    public static DisconnectReason Classify(Exception exception) => exception switch
    {
        SocketException socket => Classify(socket.SocketErrorCode),
        ObjectDisposedException or OperationCanceledException => DisconnectReason.ServerShutdown,
        _ => DisconnectReason.Error,
    };

    /// <summary>Reasons after which queued bytes still go out before the socket closes.</summary>
    public static bool FlushesBeforeClose(DisconnectReason reason) => reason
        is DisconnectReason.PeerClosed or DisconnectReason.ClosedByService
        or DisconnectReason.ServerShutdown or DisconnectReason.Refused;
}
