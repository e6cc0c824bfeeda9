using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Wirekit.Diagnostics;

/// <summary>
/// The socket tables where there is no /proc (Windows, macOS): what the OS reports through
/// <see cref="IPGlobalProperties"/> (GetExtendedTcpTable on Windows, sysctl on macOS). It knows endpoints and TCP
/// states but not the owning process, so every row has no PID: `netstat -ano` (Windows) or `lsof -i` (macOS)
/// shows owners. State names are the ones <see cref="ProcNetParser"/> gives, so output reads the same on every OS.
/// </summary>
internal static class PortableSocketTable
{
    public static IReadOnlyList<SocketEntry> Read(IPGlobalProperties properties)
    {
        var entries = new List<SocketEntry>();
        foreach (var connection in properties.GetActiveTcpConnections())
        {
            entries.Add(Row("tcp", connection.LocalEndPoint, connection.RemoteEndPoint, StateName(connection.State)));
        }

        foreach (var listener in properties.GetActiveTcpListeners())
        {
            entries.Add(Row("tcp", listener, Unspecified(listener), "LISTEN"));
        }

        foreach (var listener in properties.GetActiveUdpListeners())
        {
            entries.Add(Row("udp", listener, Unspecified(listener), "UNCONN"));
        }

        return entries;
    }

    /// <summary>The /proc/net names (ESTABLISHED, TIME_WAIT ...) for the states the OS reports.</summary>
    internal static string StateName(TcpState state) => state switch
    {
        TcpState.Established => "ESTABLISHED",
        TcpState.SynSent => "SYN_SENT",
        TcpState.SynReceived => "SYN_RECV",
        TcpState.FinWait1 => "FIN_WAIT1",
        TcpState.FinWait2 => "FIN_WAIT2",
        TcpState.TimeWait => "TIME_WAIT",
        TcpState.Closed => "CLOSE",
        TcpState.CloseWait => "CLOSE_WAIT",
        TcpState.LastAck => "LAST_ACK",
        TcpState.Listen => "LISTEN",
        TcpState.Closing => "CLOSING",
        TcpState.DeleteTcb => "CLOSE",
        _ => "UNKNOWN",
    };

    private static SocketEntry Row(string protocol, IPEndPoint local, IPEndPoint remote, string state)
        => new(local.AddressFamily == AddressFamily.InterNetworkV6 ? protocol + "6" : protocol, local, remote, state, Inode: 0, Uid: -1);

    private static IPEndPoint Unspecified(IPEndPoint local)
        => new(local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
}
