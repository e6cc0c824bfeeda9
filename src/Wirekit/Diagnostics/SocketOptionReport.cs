using System.Net.Sockets;

namespace Wirekit.Diagnostics;

/// <summary>
/// The buffer and behaviour options of a socket, read back with getsockopt (the seed's SocketBuffer program).
/// Linux reports SO_SNDBUF/SO_RCVBUF doubled: the kernel keeps room for its own bookkeeping.
/// </summary>
public sealed record SocketOptionReport(
    string Protocol,
    int SendBufferSize,
    int ReceiveBufferSize,
    bool? NoDelay,
    bool ReuseAddress,
    bool KeepAlive,
    int? KeepAliveIdleSeconds,
    int? KeepAliveIntervalSeconds,
    int? KeepAliveProbeCount)
{
    public static SocketOptionReport Read(Socket socket)
    {
        var isTcp = socket.ProtocolType == ProtocolType.Tcp;
        return new SocketOptionReport(
            Protocol: isTcp ? "TCP" : socket.ProtocolType.ToString().ToUpperInvariant(),
            SendBufferSize: (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.SendBuffer)!,
            ReceiveBufferSize: (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer)!,
            NoDelay: isTcp ? socket.NoDelay : null,
            ReuseAddress: (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress)! != 0,
            KeepAlive: (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)! != 0,
            KeepAliveIdleSeconds: isTcp ? (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)! : null,
            KeepAliveIntervalSeconds: isTcp ? (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)! : null,
            KeepAliveProbeCount: isTcp ? (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)! : null);
    }
}
