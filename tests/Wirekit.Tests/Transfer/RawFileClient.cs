using Wirekit.Tests.Infrastructure;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// A client that writes the seed's structs by hand, as the C client does, optionally one byte per send, and reads
/// replies with exact-length receives. Proves byte compatibility without going through Wirekit's codec.
/// </summary>
internal sealed class RawFileClient : IDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    public static async Task<RawFileClient> ConnectAsync(IPEndPoint endPoint)
    {
        var client = new RawFileClient();
        await client._socket.ConnectAsync(endPoint).WaitAsync(Deadline.Default);
        return client;
    }

    public static byte[] Header(int code, int size)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, code);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), size);
        return header;
    }

    public async Task SendAsync(byte[] data, bool oneBytePerSend = false)
    {
        if (!oneBytePerSend)
        {
            await _socket.SendAsync(data.AsMemory()).AsTask().WaitAsync(Deadline.Default);
            return;
        }

        for (var i = 0; i < data.Length; i++)
        {
            await _socket.SendAsync(data.AsMemory(i, 1)).AsTask().WaitAsync(Deadline.Default);
        }
    }

    public async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory(filled)).AsTask().WaitAsync(Deadline.Default);
            if (read == 0)
            {
                throw new EndOfStreamException($"closed after {filled} of {count} bytes");
            }

            filled += read;
        }

        return buffer;
    }

    public async Task<(int Code, int Size)> ReceiveHeaderAsync()
    {
        var header = await ReceiveExactlyAsync(8);
        return (BinaryPrimitives.ReadInt32LittleEndian(header), BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)));
    }

    /// <summary>Reads CMD_ERROR's ERRORDATA after its header: (nErrorCode, text up to the NUL).</summary>
    public async Task<(int Code, string Text)> ReceiveErrorDataAsync()
    {
        var data = await ReceiveExactlyAsync(260);
        var end = Array.IndexOf(data, (byte)0, 4);
        return (BinaryPrimitives.ReadInt32LittleEndian(data), System.Text.Encoding.UTF8.GetString(data, 4, (end < 0 ? 260 : end) - 4));
    }

    /// <summary>True when the server closed: a receive returns 0 (or the connection was reset) within the limit.</summary>
    public async Task<bool> ServerClosedAsync()
    {
        try
        {
            return await _socket.ReceiveAsync(new byte[1].AsMemory()).AsTask().WaitAsync(Deadline.Default) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();
}
