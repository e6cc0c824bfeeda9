using Wirekit.Tests.Infrastructure;
using System.IO.Hashing;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

public sealed class ModernProtocolTests
{
    [Fact]
    public async Task List_carries_sizes_times_and_hashes_and_hides_dot_files()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("한글 이름.bin", 70_000);
        server.WriteRandomFile(".secret", 5);
        var list = await new FileTransferClient(server.Client()).ListAsync().WaitAsync(Deadline.Default);
        var entry = Assert.Single(list);
        Assert.Equal("한글 이름.bin", entry.Name);
        Assert.Equal(70_000, entry.Size);
        Assert.Equal(XxHash128.HashToUInt128(content), entry.Hash);
        Assert.True(Math.Abs(entry.LastWriteUnixMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) < 600_000);
    }

    [Fact]
    public async Task Show_hidden_lists_dot_files()
    {
        await using var server = FileServerScope.Start(o => o with { ShowHidden = true });
        server.WriteRandomFile(".secret", 5);
        var list = await new FileTransferClient(server.Client()).ListAsync().WaitAsync(Deadline.Default);
        Assert.Equal(".secret", Assert.Single(list).Name);
    }

    [Fact]
    public async Task Get_writes_a_verified_identical_file_and_leaves_no_part()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("data.bin", 3_000_001);
        var result = await new FileTransferClient(server.Client()).GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.True(result.Verified);
        Assert.Equal(3_000_001, result.Received);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(server.Downloads, "data.bin")));
        Assert.False(File.Exists(Path.Join(server.Downloads, "data.bin.part")));
    }

    [Fact]
    public async Task Empty_file_downloads()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("empty", 0);
        var result = await new FileTransferClient(server.Client()).GetAsync("empty", server.Downloads).WaitAsync(Deadline.Default);
        Assert.True(result.Verified);
        Assert.Equal(0, new FileInfo(result.Path).Length);
    }

    [Fact]
    public async Task Parallel_four_ranges_assemble_the_same_file()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("data.bin", 16 * 1024 * 1024 + 3);
        var result = await new FileTransferClient(server.Client() with { Parallel = 4 }).GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.Equal(4, result.Connections);
        Assert.True(result.Verified);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(result.Path));
    }

    [Fact]
    public async Task Token_is_required_for_modern_commands()
    {
        await using var server = FileServerScope.Start(o => o with { Token = "s3cret" });
        server.WriteRandomFile("a", 10);
        var anonymous = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(server.Client()).ListAsync().WaitAsync(Deadline.Default));
        Assert.Equal(FileErrorCode.Unauthorized, anonymous.ServerError);
        var wrong = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(server.Client() with { Token = "guess" }).ListAsync().WaitAsync(Deadline.Default));
        Assert.Equal(FileErrorCode.Unauthorized, wrong.ServerError);
        var list = await new FileTransferClient(server.Client() with { Token = "s3cret" }).ListAsync().WaitAsync(Deadline.Default);
        Assert.Single(list);
    }

    [Fact]
    public async Task Second_list_reuses_the_cached_hash()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a", 1000);
        var client = new FileTransferClient(server.Client());
        var first = await client.ListAsync().WaitAsync(Deadline.Default);
        var second = await client.ListAsync().WaitAsync(Deadline.Default);
        Assert.Equal(first, second);

        // A changed file (new size and mtime) gets a new hash, not the cached one.
        var changed = server.WriteRandomFile("a", 1001, seed: 9);
        File.SetLastWriteTimeUtc(Path.Join(server.Root, "a"), DateTime.UtcNow.AddMinutes(1));
        var third = await client.ListAsync().WaitAsync(Deadline.Default);
        Assert.Equal(XxHash128.HashToUInt128(changed), Assert.Single(third).Hash);
    }

    [Fact]
    public async Task Discard_verifies_without_writing_and_still_catches_corruption()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("data.bin", 3_000_000);
        var result = await new FileTransferClient(server.Client() with { Discard = true }).GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.True(result.Verified);
        Assert.Equal(3_000_000, result.Received);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Downloads));

        await using var proxy = new LoopbackProxy(server.EndPoint, flipAt: 56 + 2_999_999);
        var error = await Assert.ThrowsAsync<FileTransferException>(
            () => new FileTransferClient(server.Client(proxy.Port) with { Discard = true }).GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default));
        Assert.Contains("hash mismatch", error.Message);
    }
}
