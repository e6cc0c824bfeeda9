using Wirekit.Tests.Infrastructure;
using System.Buffers.Binary;
using System.Text;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>The seed's AppProtocol.h spoken by a raw-struct client, including headers sent one byte per send.</summary>
public sealed class ClassicProtocolTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Raw_struct_client_lists_and_gets_a_file(bool oneBytePerSend)
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.txt", 10, seed: 1);
        var content = server.WriteRandomFile("Sleep Away.zip", 300_000, seed: 2);
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);

        await client.SendAsync(RawFileClient.Header(100, 0), oneBytePerSend);
        var (code, size) = await client.ReceiveHeaderAsync();
        Assert.Equal((200, 4 + (2 * 264)), (code, size));
        var list = await client.ReceiveExactlyAsync(size);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(list));
        // Ordinal name order: 'S' (0x53) sorts before 'a' (0x61), so the zip is index 0.
        var second = list.AsSpan(4, 264);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(second));
        Assert.Equal("Sleep Away.zip", Encoding.UTF8.GetString(second.Slice(4, 14)));
        Assert.Equal(0, second[4 + 14]);
        Assert.Equal(300_000u, BinaryPrimitives.ReadUInt32LittleEndian(second[260..]));

        var request = RawFileClient.Header(101, 4).Concat(BitConverter.GetBytes(0u)).ToArray();
        await client.SendAsync(request, oneBytePerSend);
        (code, size) = await client.ReceiveHeaderAsync();
        Assert.Equal((201, 264), (code, size));
        var info = await client.ReceiveExactlyAsync(264);
        Assert.Equal(300_000u, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(260)));
        var received = await client.ReceiveExactlyAsync(300_000);
        Assert.Equal(content, received);

        // Passive server: the connection is still open and serving after the transfer.
        await client.SendAsync(RawFileClient.Header(100, 0), oneBytePerSend);
        Assert.Equal(200, (await client.ReceiveHeaderAsync()).Code);
    }

    [Fact]
    public async Task Bad_index_is_an_error_and_the_connection_stays_usable()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.txt", 10);
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);
        await client.SendAsync(RawFileClient.Header(101, 4).Concat(BitConverter.GetBytes(7u)).ToArray());
        Assert.Equal((50, 260), await client.ReceiveHeaderAsync());
        Assert.Equal((int)FileErrorCode.NotFound, (await client.ReceiveErrorDataAsync()).Code);
        await client.SendAsync(RawFileClient.Header(100, 0));
        Assert.Equal(200, (await client.ReceiveHeaderAsync()).Code);
    }

    [Fact]
    public async Task No_classic_refuses_the_classic_commands()
    {
        await using var server = FileServerScope.Start(o => o with { NoClassic = true });
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);
        await client.SendAsync(RawFileClient.Header(100, 0));
        Assert.Equal(50, (await client.ReceiveHeaderAsync()).Code);
        Assert.Equal((int)FileErrorCode.ClassicDisabled, (await client.ReceiveErrorDataAsync()).Code);
    }

    [Fact]
    public async Task Client_in_classic_mode_downloads_unverified_but_whole()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("data.bin", 1_000_000);
        var client = new FileTransferClient(server.Client() with { Classic = true });
        var list = await client.ListAsync().WaitAsync(Deadline.Default);
        Assert.Equal([("data.bin", 1_000_000L)], list.Select(e => (e.Name, e.Size)));
        var result = await client.GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.False(result.Verified);
        Assert.Equal(content, await File.ReadAllBytesAsync(result.Path));
    }

    [Fact]
    public async Task File_of_4_GiB_or_more_is_left_out_of_the_classic_list()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("small.bin", 10);
        // Sparse: 4 GiB + 1 of apparent size without writing it.
        using (var big = File.Create(Path.Join(server.Root, "huge.img")))
        {
            big.SetLength((4L << 30) + 1);
        }

        var client = new FileTransferClient(server.Client() with { Classic = true });
        var list = await client.ListAsync().WaitAsync(Deadline.Default);
        Assert.Equal(["small.bin"], list.Select(e => e.Name));
        var error = await Assert.ThrowsAsync<FileTransferException>(() => client.GetAsync("huge.img", server.Downloads).WaitAsync(Deadline.Default));
        Assert.Equal(FileErrorCode.NotFound, error.ServerError);
    }
}
