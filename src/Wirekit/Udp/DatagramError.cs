using System.Net.Sockets;

namespace Wirekit.Udp;

/// <summary>Why a datagram could not be sent or received, classified once so every caller reports it the same way.</summary>
public enum DatagramError
{
    None,

    /// <summary>The payload is larger than one UDP datagram can carry.</summary>
    TooLarge,

    /// <summary>
    /// An ICMP port-unreachable came back for an earlier datagram: nothing listens at the remote port.
    /// Linux reports it as ECONNREFUSED on a connected socket; Windows as WSAECONNRESET on any socket.
    /// </summary>
    PortUnreachable,

    /// <summary>No route to the destination network or host.</summary>
    Unreachable,

    /// <summary>Sending to a broadcast address without SO_BROADCAST set.</summary>
    BroadcastNotAllowed,

    /// <summary>The kernel had no buffer room for the datagram (it would have been dropped anyway).</summary>
    NoBufferSpace,

    /// <summary>Any other socket error; the caller shows its code.</summary>
    Other,
}

public static class DatagramErrors
{
    public static DatagramError Classify(SocketError error) => error switch
    {
        SocketError.Success => DatagramError.None,
        SocketError.MessageSize => DatagramError.TooLarge,
        SocketError.ConnectionRefused or SocketError.ConnectionReset => DatagramError.PortUnreachable,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown => DatagramError.Unreachable,
        SocketError.AccessDenied => DatagramError.BroadcastNotAllowed,
        SocketError.NoBufferSpaceAvailable => DatagramError.NoBufferSpace,
        _ => DatagramError.Other,
    };

    public static string Describe(DatagramError error, SocketError code = SocketError.SocketError) => error switch
    {
        DatagramError.None => "ok",
        DatagramError.TooLarge => "datagram too large for UDP",
        DatagramError.PortUnreachable => "port unreachable: nothing is listening there (ICMP port unreachable)",
        DatagramError.Unreachable => "destination unreachable (no route)",
        DatagramError.BroadcastNotAllowed => "broadcast not allowed on this socket (SO_BROADCAST is off)",
        DatagramError.NoBufferSpace => "no buffer space in the kernel; the datagram was dropped",
        _ => $"socket error {code}",
    };
}
