using System.Net;
using System.Net.Sockets;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Access;

/// <summary>
/// Clients that connect from a chosen loopback address: on Linux all of 127.0.0.0/8 is the loopback, so binding
/// 127.0.0.2 as the source makes a second host as far as the server can tell, with no setup.
/// </summary>
internal static class SourceAddress
{
    public static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    public static readonly IPAddress Third = IPAddress.Parse("127.0.0.3");

    /// <summary>A connected socket whose source address is <paramref name="source"/> (any port).</summary>
    public static async Task<Socket> ConnectAsync(IPAddress source, IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server).WaitAsync(Deadline.Default);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task<TestClient> ClientAsync(IPAddress source, IPEndPoint server) => TestClient.Wrap(await ConnectAsync(source, server));

    /// <summary>Everything the server sends until it closes (FIN or reset), bounded by <see cref="Deadline.Default"/>.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Deadline.Default)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
            // A reset after the notice: what arrived before it still counts.
        }

        return received.ToArray();
    }
}
