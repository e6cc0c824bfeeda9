using System.Net;
using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>Creates the listening socket and applies <see cref="ServerOptions"/> to accepted ones, identically for every engine.</summary>
internal static class SocketSetup
{
    private const int TcpLevel = 6; // IPPROTO_TCP

    private const int TcpUserTimeout = 18; // TCP_USER_TIMEOUT in linux/tcp.h; .NET has no SocketOptionName for it

    public static Socket Listen(ServerOptions options)
    {
        var endPoint = new IPEndPoint(options.BindAddress, options.Port);
        var listener = options.ListenerFactory?.Invoke(endPoint.AddressFamily)
            ?? new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR must precede bind: it lets a restarted server bind while old connections sit in TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, options.ReuseAddress);
            if (options.ReceiveBufferSize is { } receive)
            {
                // Set before listen so the window scale offered in the SYN-ACK can cover it; accepted sockets inherit it.
                listener.ReceiveBufferSize = receive;
            }

            if (options.SendBufferSize is { } send)
            {
                listener.SendBufferSize = send;
            }

            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                // `::` means every address to a user, IPv4 included (as with nginx or ncat): clear IPV6_V6ONLY so one
                // socket takes both, instead of refusing the 127.0.0.1 clients that Linux's default would.
                listener.DualMode = true;
            }

            listener.Bind(endPoint);
            listener.Listen(options.Backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public static void ApplyToAccepted(Socket socket, ServerOptions options)
    {
        socket.NoDelay = options.NoDelay;
        if (options.SendBufferSize is { } send)
        {
            socket.SendBufferSize = send;
        }

        if (options.ReceiveBufferSize is { } receive)
        {
            socket.ReceiveBufferSize = receive;
        }

        if (options.KeepAlive is { } keepAlive)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, keepAlive.IdleSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, keepAlive.IntervalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, keepAlive.ProbeCount);
            if (OperatingSystem.IsLinux())
            {
                // Keepalive probes only run while nothing is in flight. A peer that vanished while we were sending to
                // it (a chat member behind a pulled cable, say) would otherwise be retransmitted to for ~15 minutes
                // (tcp_retries2); TCP_USER_TIMEOUT (RFC 5482) gives up after the same budget keepalive has.
                var budgetMs = (keepAlive.IdleSeconds + (keepAlive.IntervalSeconds * keepAlive.ProbeCount)) * 1000;
                socket.SetRawSocketOption(TcpLevel, TcpUserTimeout, BitConverter.GetBytes(budgetMs));
            }
        }
    }
}
