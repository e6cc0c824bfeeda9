using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Wireshark;

/// <summary>
/// tools/wireshark/wirekit_file.lua against a real capture: Wirekit's own server and client on an ephemeral port (so
/// the heuristic, not the port table, finds the protocol), read back with tshark as a person would see it.
/// </summary>
public sealed class FileDissectorTests
{
    private const string Split = "한글 이름.txt";

    [SkippableFact]
    public async Task A_captured_session_shows_every_request_and_reply_as_sent_including_a_header_split_over_segments()
    {
        LoopbackCapture.SkipUnlessAvailable();
        await using var server = FileServerScope.Start();
        var data = server.WriteRandomFile("data.bin", 300_000, seed: 1);
        var small = Encoding.UTF8.GetBytes("hello, wire");
        File.WriteAllBytes(Path.Join(server.Root, Split), small);

        await using var capture = await LoopbackCapture.StartAsync($"tcp port {server.EndPoint.Port}");
        var client = new FileTransferClient(server.Client());
        await client.ListAsync().WaitAsync(Deadline.Default);
        await client.GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default);
        await new FileTransferClient(server.Client() with { Classic = true }).GetAsync("data.bin", Path.Join(server.Downloads, "classic"))
            .WaitAsync(Deadline.Default);
        var splitReplyHash = await GetWithHeaderSplitAsync(server, Split, small.Length);
        var file = await capture.StopAsync();

        var codes = Tshark.Column(await Tshark.FieldsAsync(file, "wirekit_file", "wirekit_file.nCode"), 0);
        Assert.Equal(["111", "211", "112", "212", "100", "200", "101", "201", "112", "212"], codes);

        var list = await Tshark.FieldsAsync(file, "wirekit_file.nCode == 211", "wirekit_file.entry.name", "wirekit_file.entry.size", "wirekit_file.entry.hash");
        Assert.Equal([["data.bin|" + Split, "300000|11", Hex(data) + "|" + Hex(small)]], list);

        var gets = await Tshark.FieldsAsync(file, "wirekit_file.nCode == 112", "wirekit_file.nSize", "wirekit_file.get.name", "wirekit_file.get.length", "tcp.segment.count");
        Assert.Equal(["26", "data.bin", ulong.MaxValue.ToString()], gets[0][..3]);
        Assert.Equal([(18 + Encoding.UTF8.GetByteCount(Split)).ToString(), Split, ulong.MaxValue.ToString(), "2"], gets[1]);

        var replies = await Tshark.FieldsAsync(file, "wirekit_file.nCode == 212", "wirekit_file.nSize", "wirekit_file.filereply.fileSize", "wirekit_file.filereply.hash",
            "wirekit_file.filereply.length");
        Assert.Equal([["48", "300000", Hex(data), "300000"], ["48", "11", Hex(small), "11"]], replies);
        Assert.Equal(Hex(small), splitReplyHash);

        var classic = await Tshark.FieldsAsync(file, "wirekit_file.nCode == 201", "wirekit_file.nSize", "wirekit_file.fileinfo.szFileName", "wirekit_file.fileinfo.dwFileSize");
        Assert.Equal([["264", "data.bin", "300000"]], classic);
    }

    /// <summary>
    /// A raw client sends CMD_GET with its header cut after 3 bytes, two writes back to back on a TCP_NODELAY socket,
    /// as the very first bytes of its connection, and returns the hash the reply carried (hex).
    /// </summary>
    private static async Task<string> GetWithHeaderSplitAsync(FileServerScope server, string name, int size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var request = new byte[8 + 18 + nameBytes.Length];
        RawFileClient.Header(112, 18 + nameBytes.Length).CopyTo(request, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(request.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(request.AsSpan(16), ulong.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(24), (ushort)nameBytes.Length);
        nameBytes.CopyTo(request, 26);

        using var client = await RawFileClient.ConnectAsync(server.EndPoint);
        await client.SendAsync(request[..3]);
        await client.SendAsync(request[3..]);
        Assert.Equal((212, 48), await client.ReceiveHeaderAsync());
        var reply = await client.ReceiveExactlyAsync(48);
        await client.ReceiveExactlyAsync(size);
        return Convert.ToHexStringLower(reply, 16, 16);
    }

    private static string Hex(byte[] content) => Convert.ToHexStringLower(XxHash128.Hash(content));
}
