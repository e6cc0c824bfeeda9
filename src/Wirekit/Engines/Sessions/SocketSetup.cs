using System.Net;
using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>Creates the listening socket and applies <see cref="ServerOptions"/> to accepted ones, identically for every engine.</summary>
internal static class SocketSetup
{
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
        }
    }
}
