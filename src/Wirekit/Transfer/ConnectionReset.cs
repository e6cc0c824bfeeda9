using System.Net.Sockets;

namespace Wirekit.Transfer;

/// <summary>Ends a connection at once with RST: whatever is still queued for the peer is dropped, not delivered.</summary>
internal static class ConnectionReset
{
    /// <summary>
    /// SO_LINGER 0, then close. Used when the bytes in flight are wrong (the file changed under them) or will never
    /// be read (the peer stalled); the engine's own close afterwards finds the socket closed and does nothing more.
    /// </summary>
    public static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}
