using System.Buffers.Binary;
using System.Net.Sockets;

namespace Wirekit.Transfer;

/// <summary>
/// How many bytes the peer has acknowledged on a connection, from the kernel (Linux TCP_INFO, tcpi_bytes_acked,
/// kernel 4.1 or later). Read without touching the data path: sendfile keeps running while a timer asks.
/// </summary>
internal static class TcpSendProgress
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;

    // struct tcp_info (linux/tcp.h): __u64 tcpi_bytes_acked sits at byte 120; kernels older than 4.1 return less.
    private const int BytesAckedOffset = 120;
    private const int Needed = BytesAckedOffset + sizeof(long);

    /// <summary>False when this system cannot say (not Linux, an old kernel, a closed socket).</summary>
    public static bool TryRead(Socket socket, out long acknowledged)
    {
        acknowledged = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> info = stackalloc byte[Needed];
        try
        {
            if (socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info) < Needed)
            {
                return false;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }

        acknowledged = BinaryPrimitives.ReadInt64LittleEndian(info[BytesAckedOffset..]);
        return true;
    }
}
