using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>
/// Reads the way the classic C chat clients do: one recv into a 128-byte buffer, which such a client prints as one C
/// string (up to its first NUL), so a second message in the same recv is never shown. Whether two messages share a
/// recv depends on the server's sends, but also on how fast the reader is (a recv takes every segment waiting), so the
/// tests count what the server controls: the TCP data segments the socket received (Linux TCP_INFO), one per send on
/// loopback once Nagle is off.
/// </summary>
internal sealed class SeedStyleChatReader(Socket socket)
{
    public const int BufferSize = 128;

    private const int TcpLevel = 6; // IPPROTO_TCP
    private const int TcpInfo = 11; // TCP_INFO in linux/tcp.h
    private const int DataSegmentsInOffset = 152; // tcpi_data_segs_in in struct tcp_info (Linux 4.6 and later)

    private readonly byte[] _buffer = new byte[BufferSize];

    /// <summary>Data segments received so far, or null where the kernel does not report them.</summary>
    public long? DataSegmentsIn
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            var info = new byte[256];
            var length = socket.GetRawSocketOption(TcpLevel, TcpInfo, info);
            return length >= DataSegmentsInOffset + 4 ? BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(DataSegmentsInOffset)) : null;
        }
    }

    /// <summary>Reads until <paramref name="count"/> NUL-terminated messages have arrived, 128 bytes per recv at most.</summary>
    public async Task<List<string>> ReadMessagesAsync(int count)
    {
        var received = new List<string>();
        var partial = new List<byte>();
        while (received.Count < count)
        {
            var n = await socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Deadline.Default);
            if (n == 0)
            {
                throw new EndOfStreamException($"the server closed after {received.Count} of {count} messages");
            }

            foreach (var b in _buffer.AsSpan(0, n))
            {
                if (b != 0)
                {
                    partial.Add(b);
                    continue;
                }

                received.Add(Encoding.UTF8.GetString(partial.ToArray()));
                partial.Clear();
            }
        }

        return received;
    }
}
