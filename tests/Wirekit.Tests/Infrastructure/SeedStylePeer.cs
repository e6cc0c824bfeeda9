using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// A peer written the way the classic C socket examples are: one accepted connection, a fixed 128-byte buffer, one
/// recv and one send at a time. What it does with the connection is the test's (<see cref="ServeAsync"/>).
/// </summary>
internal sealed class SeedStylePeer : IDisposable
{
    public const int BufferSize = 128;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SeedStylePeer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Accepts one client and runs <paramref name="serve"/> on it; the socket is closed when it returns.</summary>
    public async Task ServeAsync(Func<Socket, Task> serve)
    {
        using var client = await _listener.AcceptSocketAsync();
        await serve(client);
    }

    /// <summary>
    /// The echo server: recv into the buffer (never cleared, so old bytes stay behind the new text), put a NUL after
    /// what arrived, send the whole buffer back. Records what it received.
    /// </summary>
    public static async Task EchoWholeBufferAsync(Socket client, List<byte[]> received)
    {
        var buffer = new byte[BufferSize];
        buffer.AsSpan().Fill((byte)'#');
        while (true)
        {
            var n = await client.ReceiveAsync(buffer.AsMemory(0, BufferSize - 1), SocketFlags.None);
            if (n == 0)
            {
                return;
            }

            lock (received)
            {
                received.Add(buffer[..n]);
            }

            buffer[n] = 0;
            await client.SendAsync(buffer, SocketFlags.None);
        }
    }

    public void Dispose() => _listener.Dispose();
}
