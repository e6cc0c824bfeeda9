using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

public sealed class FileCodecTests
{
    private static readonly Func<int, int> ServerBound = static _ => FileProtocol.MaxRequestPayload;

    [Fact]
    public void Frame_split_at_every_byte_needs_more_data_until_complete()
    {
        var message = ModernMessages.FormatGet("report.bin", 5, 100);
        for (var cut = 0; cut < message.Length; cut++)
        {
            var status = FileFrameReader.TryRead(new ReadOnlySequence<byte>(message, 0, cut), ServerBound, out _, out var consumed);
            Assert.Equal(OperationStatus.NeedMoreData, status);
            Assert.Equal(0, consumed.GetInteger());
        }

        Assert.Equal(OperationStatus.Done, FileFrameReader.TryRead(ChunkedSequence.Of(message, 1), ServerBound, out var frame, out _));
        Assert.Equal((int)FileCommandCode.Get, frame.Code);
        Assert.True(ModernMessages.TryParseGet(frame.Payload, out var name, out var offset, out var length));
        Assert.Equal(("report.bin", 5UL, 100UL), (name, offset, length));
    }

    [Fact]
    public void Two_frames_in_one_buffer_are_cut_apart()
    {
        var both = ClassicMessages.FormatRequest(FileCommandCode.GetList).Concat(ClassicMessages.FormatGetFile(7)).ToArray();
        var buffer = ChunkedSequence.Of(both, 3);
        Assert.Equal(OperationStatus.Done, FileFrameReader.TryRead(buffer, ServerBound, out var first, out var consumed));
        Assert.Equal((int)FileCommandCode.GetList, first.Code);
        Assert.Equal(0, first.Payload.Length);
        Assert.Equal(OperationStatus.Done, FileFrameReader.TryRead(buffer.Slice(consumed), ServerBound, out var second, out consumed));
        Assert.True(ClassicMessages.TryParseGetFile(second.Payload, out var index));
        Assert.Equal(7u, index);
        Assert.Equal(buffer.End, consumed);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(FileProtocol.MaxRequestPayload + 1)]
    [InlineData(int.MaxValue)]
    public void Bogus_size_is_invalid_before_the_payload_arrives(int size)
    {
        var header = new byte[8];
        FileFrameReader.WriteHeader(header, (int)FileCommandCode.GetFile, size);
        Assert.Equal(OperationStatus.InvalidData, FileFrameReader.TryRead(new ReadOnlySequence<byte>(header), ServerBound, out var frame, out _));
        Assert.Equal((int)FileCommandCode.GetFile, frame.Code);
    }

    [Fact]
    public void Unknown_code_with_a_sane_size_is_still_a_frame()
    {
        var message = new byte[8 + 3];
        FileFrameReader.WriteHeader(message, 4242, 3);
        Assert.Equal(OperationStatus.Done, FileFrameReader.TryRead(new ReadOnlySequence<byte>(message), ServerBound, out var frame, out _));
        Assert.Equal(4242, frame.Code);
        Assert.Equal(3, frame.Payload.Length);
    }

    [Fact]
    public void Fileinfo_has_the_seed_layout()
    {
        var message = ClassicMessages.FormatBeginFile(3, "노래.zip", 123456);
        Assert.Equal(8 + 264, message.Length);
        Assert.Equal(201, BinaryPrimitives.ReadInt32LittleEndian(message));
        Assert.Equal(264, BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(4)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8)));
        var nameBytes = Encoding.UTF8.GetBytes("노래.zip");
        Assert.True(message.AsSpan(12, nameBytes.Length).SequenceEqual(nameBytes));
        Assert.Equal(0, message[12 + nameBytes.Length]);
        Assert.Equal(123456u, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8 + 260)));
    }

    [Fact]
    public void Classic_list_round_trips_through_one_byte_chunks()
    {
        var message = ClassicMessages.FormatFileList([("a.txt", 1), ("b.bin", uint.MaxValue)]);
        Assert.Equal(8 + 4 + (2 * 264), message.Length);
        Assert.Equal(OperationStatus.Done, FileFrameReader.TryRead(ChunkedSequence.Of(message, 1), FileProtocol.MaxReplyPayloadFor, out var frame, out _));
        var files = ClassicMessages.ParseFileList(frame.Payload);
        Assert.NotNull(files);
        Assert.Equal([(0u, "a.txt", 1u), (1u, "b.bin", uint.MaxValue)], files);
    }

    [Fact]
    public void Classic_list_with_a_lying_count_is_rejected()
    {
        var message = ClassicMessages.FormatFileList([("a.txt", 1)]);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), 1_000_000);
        Assert.Null(ClassicMessages.ParseFileList(new ReadOnlySequence<byte>(message, 8, message.Length - 8)));
    }

    [Fact]
    public void Error_description_is_cut_on_a_character_boundary_and_nul_terminated()
    {
        var message = ClassicMessages.FormatError(FileErrorCode.Refused, new string('가', 200));
        Assert.Equal(8 + 260, message.Length);
        var (code, text) = ClassicMessages.ParseError(new ReadOnlySequence<byte>(message, 8, 260));
        Assert.Equal(FileErrorCode.Refused, code);
        Assert.Equal(85, text.Length); // 85 × 3 bytes = 255, the NUL takes the last byte
        Assert.All(text, c => Assert.Equal('가', c));
    }

    [Fact]
    public void Modern_list_round_trips_through_one_byte_chunks()
    {
        FileEntry[] entries = [new("x", 0, 1, UInt128.MaxValue), new("파일 이름.dat", 5L << 32, -5, new UInt128(1, 2))];
        var message = ModernMessages.FormatFileList(entries, out var written);
        Assert.Equal(2, written);
        Assert.Equal(OperationStatus.Done, FileFrameReader.TryRead(ChunkedSequence.Of(message, 1), FileProtocol.MaxReplyPayloadFor, out var frame, out _));
        Assert.Equal(entries, ModernMessages.ParseFileList(frame.Payload));
    }

    [Fact]
    public void Modern_list_with_a_huge_count_is_rejected_without_allocating()
    {
        var payload = new byte[4 + 10];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, uint.MaxValue);
        Assert.Null(ModernMessages.ParseFileList(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void File_reply_round_trips_and_keeps_the_hash_in_canonical_order()
    {
        var reply = new FileReply(10, 20, new UInt128(0x0102030405060708, 0x090A0B0C0D0E0F10), 3, 7);
        var message = ModernMessages.FormatFileReply(reply);
        Assert.Equal(0x01, message[8 + 16]);
        Assert.Equal(0x10, message[8 + 31]);
        Assert.True(ModernMessages.TryParseFileReply(ChunkedSequence.Of(message[8..], 1), out var parsed));
        Assert.Equal(reply, parsed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    [InlineData(0xFFFF)]
    public void Get_with_a_bogus_name_length_is_rejected(int nameLength)
    {
        var payload = new byte[18 + 4];
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(16), (ushort)nameLength);
        Assert.False(ModernMessages.TryParseGet(new ReadOnlySequence<byte>(payload), out _, out _, out _));
    }

    [Fact]
    public void Get_with_invalid_utf8_is_rejected()
    {
        var payload = new byte[18 + 2];
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(16), 2);
        payload[18] = 0xC3;
        payload[19] = 0x28;
        Assert.False(ModernMessages.TryParseGet(new ReadOnlySequence<byte>(payload), out _, out _, out _));
    }

    [Fact]
    public void Getfile_with_the_wrong_length_is_rejected()
    {
        Assert.False(ClassicMessages.TryParseGetFile(new ReadOnlySequence<byte>(new byte[3]), out _));
        Assert.False(ClassicMessages.TryParseGetFile(new ReadOnlySequence<byte>(new byte[5]), out _));
    }
}
