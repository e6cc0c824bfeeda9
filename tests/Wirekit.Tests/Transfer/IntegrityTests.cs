using Wirekit.Tests.Infrastructure;
using System.IO.Hashing;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>End-to-end integrity: corruption detected, interrupted downloads resumed, a large file byte-identical.</summary>
public sealed class IntegrityTests
{
    [Fact]
    public async Task One_flipped_byte_is_detected_and_nothing_complete_is_replaced()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("data.bin", 2_000_000);
        var previous = Path.Join(server.Downloads, "data.bin");
        await File.WriteAllTextAsync(previous, "an older complete copy");
        // Past the 56-byte reply header, inside the file data.
        await using var proxy = new LoopbackProxy(server.EndPoint, flipAt: 56 + 1_234_567);

        var error = await Assert.ThrowsAsync<FileTransferException>(
            () => new FileTransferClient(server.Client(proxy.Port)).GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default));
        Assert.Contains("hash mismatch", error.Message);
        Assert.Equal("an older complete copy", await File.ReadAllTextAsync(previous));
        Assert.Equal(2_000_000, new FileInfo(previous + ".part").Length);
    }

    [Fact]
    public async Task Download_interrupted_by_a_server_stop_resumes_and_verifies()
    {
        await using var server = FileServerScope.Start();
        const int size = 64 * 1024 * 1024;
        var content = server.WriteRandomFile("big.bin", size);
        // Stop the server from inside the receive loop once 4 MiB have arrived: the loop is blocked meanwhile, so the
        // download cannot finish first however fast loopback is.
        var stopper = new ProgressTrigger(4 * 1024 * 1024, () => server.StopAsync().GetAwaiter().GetResult());
        var client = new FileTransferClient(server.Client() with { QueueBytes = 1024 * 1024 });
        await Assert.ThrowsAsync<FileTransferException>(() => client.GetAsync("big.bin", server.Downloads, stopper).WaitAsync(Deadline.Default));
        var part = Path.Join(server.Downloads, "big.bin.part");
        var kept = new FileInfo(part).Length;
        Assert.InRange(kept, 4 * 1024 * 1024, size - 1);
        Assert.True(content.AsSpan(0, (int)kept).SequenceEqual(File.ReadAllBytes(part)));

        await server.RestartAsync();
        var result = await new FileTransferClient(server.Client() with { Resume = true }).GetAsync("big.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.True(result.Verified);
        Assert.Equal(size - kept, result.Received);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(result.Path));
    }

    [Fact]
    public async Task Parallel_download_interrupted_journals_its_ranges_and_resume_fetches_only_the_rest()
    {
        await using var server = FileServerScope.Start();
        const int size = 64 * 1024 * 1024;
        var content = server.WriteRandomFile("big.bin", size);
        var stopper = new ProgressTrigger(8 * 1024 * 1024, () => server.StopAsync().GetAwaiter().GetResult());
        var options = server.Client() with { Parallel = 4, QueueBytes = 1024 * 1024 };
        var error = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(options).GetAsync("big.bin", server.Downloads, stopper).WaitAsync(Deadline.Default));
        Assert.Contains("kept in", error.Message);
        var part = Path.Join(server.Downloads, "big.bin.part");
        var (_, good) = PartJournal.TryRead(PartJournal.PathFor(part)) ?? throw new InvalidOperationException("no journal");
        Assert.True(good.Ranges.Count > 1, "four ranges were cut at different points");
        var onDisk = File.ReadAllBytes(part);
        foreach (var (start, end) in good.Ranges)
        {
            Assert.True(content.AsSpan((int)start, (int)(end - start)).SequenceEqual(onDisk.AsSpan((int)start, (int)(end - start))), $"range {start}-{end} on disk");
        }

        await server.RestartAsync();
        var result = await new FileTransferClient(server.Client() with { Parallel = 4, Resume = true }).GetAsync("big.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.True(result.Verified);
        Assert.Equal(good.Total, result.Resumed);
        Assert.Equal(size - good.Total, result.Received);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(result.Path));
        Assert.False(File.Exists(PartJournal.PathFor(part)));
    }

    [Fact]
    public async Task Server_that_stalls_mid_file_fails_the_download_after_the_timeout()
    {
        // A fake server: a FILEREPLY promising 1000 bytes, 10 of them, then silence with the connection open.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        var fake = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.ReceiveAsync(new byte[1024]);
            await peer.SendAsync(ModernMessages.FormatFileReply(new FileReply(1000, 0, UInt128.One, 0, 1000)).Concat(new byte[10]).ToArray());
            await peer.ReceiveAsync(new byte[1]); // until the client gives up and closes
        });
        var folder = Directory.CreateTempSubdirectory("wirekit-stall-").FullName;
        try
        {
            var options = new FileClientOptions { Port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port, Timeout = TimeSpan.FromSeconds(1) };
            var error = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(options).GetAsync("x", folder).WaitAsync(Deadline.Default));
            Assert.Contains("no data for 1 s", error.Message);
            Assert.Equal(10, new FileInfo(Path.Join(folder, "x.part")).Length);
            await fake.WaitAsync(Deadline.Default);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task File_of_200_MiB_arrives_byte_identical()
    {
        await using var server = FileServerScope.Start();
        const int size = 200 * 1024 * 1024;
        var content = server.WriteRandomFile("200m.bin", size);
        var expected = XxHash128.HashToUInt128(content);
        content = null;
        var result = await new FileTransferClient(server.Client()).GetAsync("200m.bin", server.Downloads).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(result.Verified);
        Assert.Equal(size, new FileInfo(result.Path).Length);
        Assert.Equal(expected, FileServerScope.Hash(result.Path));
    }
}
