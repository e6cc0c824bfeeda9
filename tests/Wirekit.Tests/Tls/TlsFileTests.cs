using System.IO.Hashing;
using System.Net.Sockets;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Tls;

/// <summary>The file server under TLS, on every engine that carries it: list and get through the TLS stream, hashes checked.</summary>
public abstract class TlsFileTests(EngineKind engine) : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Lists_and_sends_a_file_and_a_range_over_tls_with_the_hash_checked()
    {
        await using var server = FileServerScope.Start(server: new ServerOptions { Tls = _pki.Server() }, engine: engine);
        // Larger than the sender's 256 KiB chunk and not a multiple of it, so the last chunk is a short one.
        var content = server.WriteRandomFile("data.bin", (3 << 20) + 12345);
        await using var client = await TlsTestClient.ConnectAsync(server.EndPoint, _pki.ServerCertificate);
        // Frames read the TLS stream; the socket argument only names the connection.
        using var unused = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var frames = new FrameConnection(unused, FileProtocol.MaxReplyPayloadFor, client.Stream);

        await client.WriteAsync(ClassicMessages.FormatRequest(FileCommandCode.List));
        var (_, list) = await frames.ReadFrameAsync(CancellationToken.None).AsTask().WaitAsync(Deadline.Default);
        var entry = Assert.Single(ModernMessages.ParseFileList(list.Payload)!);
        Assert.Equal(("data.bin", (long)content.Length, XxHash128.HashToUInt128(content)), (entry.Name, entry.Size, entry.Hash));

        var whole = await GetAsync(client, frames, 0, (ulong)content.Length);
        Assert.Equal(XxHash128.HashToUInt128(content), XxHash128.HashToUInt128(whole));

        var range = await GetAsync(client, frames, 1_000_000, 77_777);
        Assert.Equal(content.AsSpan(1_000_000, 77_777).ToArray(), range);
    }

    private static async Task<byte[]> GetAsync(TlsTestClient client, FrameConnection frames, ulong offset, ulong length)
    {
        await client.WriteAsync(ModernMessages.FormatGet("data.bin", offset, length));
        var (status, frame) = await frames.ReadFrameAsync(CancellationToken.None).AsTask().WaitAsync(Deadline.Default);
        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.True(ModernMessages.TryParseFileReply(frame.Payload, out var reply));
        Assert.Equal(length, reply.Length);
        var data = new byte[(int)reply.Length];
        await Task.Run(() =>
        {
            for (var filled = 0; filled < data.Length;)
            {
                var read = frames.ReadRaw(data.AsSpan(filled));
                Assert.True(read > 0, "the server closed in the middle of the file");
                filled += read;
            }
        }).WaitAsync(Deadline.Default);
        return data;
    }
}

public sealed class ThreadsTlsFileTests() : TlsFileTests(EngineKind.Threads);

public sealed class AsyncTlsFileTests() : TlsFileTests(EngineKind.Async);
