using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Wirekit.Tls;

namespace Wirekit.Tests.TlsClient;

/// <summary>The read-ahead buffer under the client's SslStream: every byte once, in order, whatever the read sizes; writes unbuffered.</summary>
public sealed class ReadAheadStreamTests
{
    [Fact]
    public async Task Reads_of_every_size_sync_and_async_return_the_bytes_sent_in_order()
    {
        var (client, server) = await ConnectedPairAsync();
        using var peer = server;
        using var stream = new ReadAheadStream(new NetworkStream(client, ownsSocket: true));
        var sent = RandomNumberGenerator.GetBytes(300_000);

        // The peer writes in pieces that cross the 64 KiB buffer at odd places; the reader asks for 1 byte, 5 bytes,
        // a record's worth and more than the buffer holds, taking turns between Read and ReadAsync.
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < sent.Length;)
            {
                var size = Math.Min(sent.Length - offset, 1 + (offset * 7919 % 40_000));
                await peer.SendAsync(sent.AsMemory(offset, size), SocketFlags.None);
                offset += size;
            }

            peer.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        int[] sizes = [1, 5, 16_389, 70_000, 3, 65_536];
        var buffer = new byte[70_000];
        for (var i = 0; ; i++)
        {
            var want = sizes[i % sizes.Length];
            var read = i % 2 == 0 ? stream.Read(buffer.AsSpan(0, want)) : await stream.ReadAsync(buffer.AsMemory(0, want)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (read == 0)
            {
                break;
            }

            Assert.InRange(read, 1, want);
            received.Write(buffer, 0, read);
        }

        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(sent, received.ToArray());
    }

    [Fact]
    public async Task A_write_reaches_the_peer_without_a_flush()
    {
        var (client, server) = await ConnectedPairAsync();
        using var peer = server;
        using var stream = new ReadAheadStream(new NetworkStream(client, ownsSocket: true));

        await stream.WriteAsync("hello"u8.ToArray());
        stream.Write("!\n"u8);

        var buffer = new byte[16];
        var got = 0;
        while (got < 7)
        {
            got += await peer.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal("hello!\n"u8.ToArray(), buffer[..got]);
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (client, await accepting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
