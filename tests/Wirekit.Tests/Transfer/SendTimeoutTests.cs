using System.Net.Sockets;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Issue 8 §3: a client that asks for a file and stops reading is reset after the send timeout; one that reads
/// slowly but steadily gets the whole file however long it takes. Small buffers on both ends, so the server's
/// send really has to wait for the reader.
/// </summary>
public sealed class SendTimeoutTests
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly ServerOptions SmallBuffers = new() { SendBufferSize = 4096 };

    [Theory]
    [InlineData(EngineKind.Async)]
    [InlineData(EngineKind.Threads)]
    public async Task Reader_that_never_reads_is_reset_after_the_send_timeout(EngineKind engine)
    {
        await using var server = FileServerScope.Start(o => o with { SendTimeout = SendTimeout }, SmallBuffers, engine);
        const int size = 8 * 1024 * 1024;
        server.WriteRandomFile("big.bin", size);
        using var reader = await ConnectWithSmallWindowAsync(server);
        await reader.SendAsync(ModernMessages.FormatGet("big.bin", 0, FileProtocol.ToEnd));

        await Deadline.UntilAsync(() => server.Counters[FileServerEvent.SendTimeout] == 1 && server.ActiveSessions == 0, "the stalled send to be reset");

        // What the kernel buffered still arrives, then the reset: never the whole file.
        Assert.InRange(await DrainAsync(reader), 0, size - 1);
    }

    [Theory]
    [InlineData(EngineKind.Async)]
    [InlineData(EngineKind.Threads)]
    public async Task Reader_that_reads_slowly_but_steadily_gets_the_whole_file(EngineKind engine)
    {
        await using var server = FileServerScope.Start(o => o with { SendTimeout = SendTimeout }, SmallBuffers, engine);
        const int size = 256 * 1024;
        var content = server.WriteRandomFile("slow.bin", size);
        using var reader = await ConnectWithSmallWindowAsync(server);
        await reader.SendAsync(ModernMessages.FormatGet("slow.bin", 0, FileProtocol.ToEnd));

        // 4 KiB every 40 ms: the whole file takes about 2.6 s, five send timeouts, yet bytes keep being acknowledged.
        var received = new byte[FileProtocol.HeaderSize + FileProtocol.FileReplySize + size];
        var filled = 0;
        while (filled < received.Length)
        {
            var read = await reader.ReceiveAsync(received.AsMemory(filled, Math.Min(4096, received.Length - filled))).AsTask().WaitAsync(Deadline.Default);
            Assert.NotEqual(0, read);
            filled += read;
            await Task.Delay(40); // pacing the reader, not waiting for anything
        }

        Assert.Equal(content, received[(FileProtocol.HeaderSize + FileProtocol.FileReplySize)..]);
        Assert.Equal(0, server.Counters[FileServerEvent.SendTimeout]);
    }

    private static async Task<Socket> ConnectWithSmallWindowAsync(FileServerScope server)
    {
        // SO_RCVBUF before connect, so the window offered in the handshake is small too.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(server.EndPoint).WaitAsync(Deadline.Default);
        return socket;
    }

    /// <summary>Reads until the end or a reset; returns the bytes that came.</summary>
    private static async Task<long> DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Deadline.Default)) > 0)
            {
                total += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return total;
    }
}
