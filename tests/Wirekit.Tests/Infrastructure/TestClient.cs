using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Infrastructure;

/// <summary>A plain TCP client for tests: every read and write bounded by <see cref="Deadline.Default"/>.</summary>
internal sealed class TestClient : IDisposable
{
    private TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <param name="receiveBuffer">SO_RCVBUF set before connecting (so the window offered in the SYN follows it), or null for the kernel's.</param>
    public static async Task<TestClient> ConnectAsync(IPEndPoint server, bool noDelay = true, int? receiveBuffer = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = noDelay };
        try
        {
            if (receiveBuffer is { } size)
            {
                socket.ReceiveBufferSize = size;
            }

            await socket.ConnectAsync(server).WaitAsync(Deadline.Default);
            return new TestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Adopts a socket already connected (one created inside a network namespace, say).</summary>
    public static TestClient Wrap(Socket socket) => new(socket);

    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await Socket.SendAsync(data, SocketFlags.None).AsTask().WaitAsync(Deadline.Default);
            data = data[sent..];
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or throws if the stream ends first.</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var n = await Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).AsTask().WaitAsync(Deadline.Default);
            if (n == 0)
            {
                throw new EndOfStreamException($"stream ended after {filled} of {count} bytes");
            }

            filled += n;
        }

        return buffer;
    }

    /// <summary>Waits for the server to end the stream: true for FIN (0 bytes), true for a reset; false if data came instead.</summary>
    public async Task<bool> ReceiveEndAsync()
    {
        var buffer = new byte[1];
        try
        {
            return await Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Deadline.Default) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public async Task<byte[]> EchoAsync(byte[] payload)
    {
        var receive = ReceiveExactlyAsync(payload.Length);
        await SendAsync(payload);
        return await receive;
    }

    /// <summary>Closes with RST instead of FIN (linger 0), as a crashing peer would.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    public void Dispose() => Socket.Dispose();
}
