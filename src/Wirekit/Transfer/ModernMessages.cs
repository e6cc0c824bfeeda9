using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Wirekit.Transfer;

/// <summary>A modern file reply header (FILEREPLY): the whole file's size, mtime and hash, and the range that follows.</summary>
internal readonly record struct FileReply(ulong FileSize, long MtimeUnixMs, UInt128 Hash, ulong Offset, ulong Length);

/// <summary>Wirekit's modern commands (docs/file-protocol.md, "Modern structs").</summary>
internal static class ModernMessages
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] FormatGet(string name, ulong offset, ulong length)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length is 0 or > FileProtocol.MaxNameBytes)
        {
            throw new ArgumentException($"a file name must be 1..{FileProtocol.MaxNameBytes} UTF-8 bytes", nameof(name));
        }

        var payload = FileProtocol.GetFixedSize + nameBytes.Length;
        var message = new byte[FileProtocol.HeaderSize + payload];
        var span = message.AsSpan(FileFrameReader.WriteHeader(message, (int)FileCommandCode.Get, payload));
        BinaryPrimitives.WriteUInt64LittleEndian(span, offset);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], (ushort)nameBytes.Length);
        nameBytes.CopyTo(span[18..]);
        return message;
    }

    public static bool TryParseGet(ReadOnlySequence<byte> payload, out string name, out ulong offset, out ulong length)
    {
        name = "";
        offset = length = 0;
        var reader = new SequenceReader<byte>(payload);
        if (!reader.TryReadLittleEndian(out long rawOffset) || !reader.TryReadLittleEndian(out long rawLength)
            || !reader.TryReadLittleEndian(out short rawNameLength))
        {
            return false;
        }

        var nameLength = (ushort)rawNameLength;
        if (nameLength is 0 or > FileProtocol.MaxNameBytes || reader.Remaining != nameLength
            || !TryDecode(reader.UnreadSequence, out name))
        {
            return false;
        }

        offset = (ulong)rawOffset;
        length = (ulong)rawLength;
        return true;
    }

    /// <summary>MYCMD(CMD_FILE) + FILEREPLY: the prefix sent before the range's bytes.</summary>
    public static byte[] FormatFileReply(FileReply reply)
    {
        var message = new byte[FileProtocol.HeaderSize + FileProtocol.FileReplySize];
        var span = message.AsSpan(FileFrameReader.WriteHeader(message, (int)FileCommandCode.File, FileProtocol.FileReplySize));
        BinaryPrimitives.WriteUInt64LittleEndian(span, reply.FileSize);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], reply.MtimeUnixMs);
        BinaryPrimitives.WriteUInt128BigEndian(span[16..], reply.Hash);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], reply.Offset);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], reply.Length);
        return message;
    }

    public static bool TryParseFileReply(ReadOnlySequence<byte> payload, out FileReply reply)
    {
        reply = default;
        if (payload.Length != FileProtocol.FileReplySize)
        {
            return false;
        }

        Span<byte> span = stackalloc byte[FileProtocol.FileReplySize];
        payload.CopyTo(span);
        reply = new FileReply(
            BinaryPrimitives.ReadUInt64LittleEndian(span),
            BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
            BinaryPrimitives.ReadUInt128BigEndian(span[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[40..]));
        return true;
    }

    /// <summary>MYCMD(CMD_FILELIST) + count + ENTRY × n. Entries past the 16 MiB bound are dropped; <paramref name="written"/> says how many went in.</summary>
    public static byte[] FormatFileList(IReadOnlyList<FileEntry> entries, out int written)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.GetSpan(FileProtocol.HeaderSize + 4)[..(FileProtocol.HeaderSize + 4)].Clear();
        buffer.Advance(FileProtocol.HeaderSize + 4);
        written = 0;
        foreach (var entry in entries)
        {
            var nameBytes = Encoding.UTF8.GetBytes(entry.Name);
            var size = FileProtocol.EntryFixedSize + nameBytes.Length;
            if (buffer.WrittenCount - FileProtocol.HeaderSize + size > FileProtocol.MaxListPayload)
            {
                break;
            }

            var span = buffer.GetSpan(size);
            BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)entry.Size);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], entry.LastWriteUnixMs);
            BinaryPrimitives.WriteUInt128BigEndian(span[16..], entry.Hash);
            BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)nameBytes.Length);
            nameBytes.CopyTo(span[34..]);
            buffer.Advance(size);
            written++;
        }

        var message = buffer.WrittenSpan.ToArray();
        FileFrameReader.WriteHeader(message, (int)FileCommandCode.FileList, message.Length - FileProtocol.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(FileProtocol.HeaderSize), (uint)written);
        return message;
    }

    /// <summary>Parses a CMD_FILELIST payload; null when it is malformed in any way.</summary>
    public static IReadOnlyList<FileEntry>? ParseFileList(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        if (!reader.TryReadLittleEndian(out int rawCount))
        {
            return null;
        }

        var count = (uint)rawCount;
        // Every entry takes at least EntryFixedSize + 1 bytes: the count is checked against that before a list is sized by it.
        if (count > reader.Remaining / (FileProtocol.EntryFixedSize + 1))
        {
            return null;
        }

        var entries = new List<FileEntry>((int)count);
        Span<byte> hash = stackalloc byte[FileProtocol.HashSize];
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadLittleEndian(out long size) || !reader.TryReadLittleEndian(out long mtime) || !reader.TryCopyTo(hash))
            {
                return null;
            }

            reader.Advance(FileProtocol.HashSize);
            if (!reader.TryReadLittleEndian(out short rawNameLength))
            {
                return null;
            }

            var nameLength = (ushort)rawNameLength;
            if (nameLength is 0 or > FileProtocol.MaxNameBytes || reader.Remaining < nameLength
                || !TryDecode(reader.UnreadSequence.Slice(0, nameLength), out var name) || size < 0)
            {
                return null;
            }

            reader.Advance(nameLength);
            entries.Add(new FileEntry(name, size, mtime, BinaryPrimitives.ReadUInt128BigEndian(hash)));
        }

        return reader.Remaining == 0 ? entries : null;
    }

    public static byte[] FormatAuth(string token)
    {
        var tokenBytes = Encoding.UTF8.GetBytes(token);
        if (tokenBytes.Length is 0 or > FileProtocol.MaxTokenBytes)
        {
            throw new ArgumentException($"a token must be 1..{FileProtocol.MaxTokenBytes} UTF-8 bytes", nameof(token));
        }

        var message = new byte[FileProtocol.HeaderSize + tokenBytes.Length];
        FileFrameReader.WriteHeader(message, (int)FileCommandCode.Auth, tokenBytes.Length);
        tokenBytes.CopyTo(message.AsSpan(FileProtocol.HeaderSize));
        return message;
    }

    private static bool TryDecode(ReadOnlySequence<byte> bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
