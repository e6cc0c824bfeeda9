using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Wirekit.Transfer;

/// <summary>The seed's AppProtocol.h structs, formatted and parsed byte for byte (docs/file-protocol.md, "Classic structs").</summary>
internal static class ClassicMessages
{
    /// <summary>A name fits FILEINFO.szFileName when its UTF-8 bytes leave room for the NUL.</summary>
    public static bool FitsNameField(string name) => Encoding.UTF8.GetByteCount(name) < FileProtocol.ClassicNameField;

    /// <summary>MYCMD + ERRORDATA, ready to send in one call. The description is cut to 255 bytes on a character boundary.</summary>
    public static byte[] FormatError(FileErrorCode code, string description)
    {
        var message = new byte[FileProtocol.HeaderSize + FileProtocol.ErrorDataSize];
        FileFrameReader.WriteHeader(message, (int)FileCommandCode.Error, FileProtocol.ErrorDataSize);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(FileProtocol.HeaderSize), (int)code);
        WriteNulTerminated(message.AsSpan(FileProtocol.HeaderSize + 4, FileProtocol.ErrorDescField), description);
        return message;
    }

    public static (FileErrorCode Code, string Description) ParseError(ReadOnlySequence<byte> payload)
    {
        if (payload.Length < 4)
        {
            return (0, "(error without ERRORDATA)");
        }

        var bytes = payload.Slice(0, Math.Min(payload.Length, FileProtocol.ErrorDataSize)).ToArray();
        return ((FileErrorCode)BinaryPrimitives.ReadInt32LittleEndian(bytes), ReadNulTerminated(bytes.AsSpan(4)));
    }

    /// <summary>Writes FILEINFO (264 bytes). The caller has checked <see cref="FitsNameField"/> and the 4 GiB limit.</summary>
    public static void WriteFileInfo(Span<byte> destination, uint index, string name, uint size)
    {
        destination[..FileProtocol.FileInfoSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, index);
        WriteNulTerminated(destination.Slice(4, FileProtocol.ClassicNameField), name);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(4 + FileProtocol.ClassicNameField)..], size);
    }

    public static (uint Index, string Name, uint Size) ReadFileInfo(ReadOnlySpan<byte> source)
        => (BinaryPrimitives.ReadUInt32LittleEndian(source),
            ReadNulTerminated(source.Slice(4, FileProtocol.ClassicNameField)),
            BinaryPrimitives.ReadUInt32LittleEndian(source[(4 + FileProtocol.ClassicNameField)..]));

    /// <summary>MYCMD(CMD_SND_FILELIST) + SEND_FILELIST + FILEINFO × n.</summary>
    public static byte[] FormatFileList(IReadOnlyList<(string Name, uint Size)> files)
    {
        var payload = 4 + (files.Count * FileProtocol.FileInfoSize);
        var message = new byte[FileProtocol.HeaderSize + payload];
        FileFrameReader.WriteHeader(message, (int)FileCommandCode.SendFileList, payload);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(FileProtocol.HeaderSize), (uint)files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            WriteFileInfo(message.AsSpan(FileProtocol.HeaderSize + 4 + (i * FileProtocol.FileInfoSize)), (uint)i, files[i].Name, files[i].Size);
        }

        return message;
    }

    /// <summary>Parses a CMD_SND_FILELIST payload; null when the count disagrees with the length.</summary>
    public static IReadOnlyList<(uint Index, string Name, uint Size)>? ParseFileList(ReadOnlySequence<byte> payload)
    {
        if (payload.Length < 4)
        {
            return null;
        }

        var bytes = payload.ToArray();
        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if ((ulong)bytes.Length != 4 + ((ulong)count * FileProtocol.FileInfoSize))
        {
            return null;
        }

        var files = new List<(uint, string, uint)>((int)count);
        for (var i = 0; i < (int)count; i++)
        {
            files.Add(ReadFileInfo(bytes.AsSpan(4 + (i * FileProtocol.FileInfoSize), FileProtocol.FileInfoSize)));
        }

        return files;
    }

    /// <summary>MYCMD(CMD_GET_FILE) + GETFILE, as the seed's client sends it: both headers in one buffer.</summary>
    public static byte[] FormatGetFile(uint index)
    {
        var message = new byte[FileProtocol.HeaderSize + 4];
        FileFrameReader.WriteHeader(message, (int)FileCommandCode.GetFile, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(FileProtocol.HeaderSize), index);
        return message;
    }

    public static bool TryParseGetFile(ReadOnlySequence<byte> payload, out uint index)
    {
        index = 0;
        var reader = new SequenceReader<byte>(payload);
        if (payload.Length != 4 || !reader.TryReadLittleEndian(out int value))
        {
            return false;
        }

        index = (uint)value;
        return true;
    }

    /// <summary>MYCMD(CMD_BEGIN_FILE) + FILEINFO: the prefix sent before the file's bytes.</summary>
    public static byte[] FormatBeginFile(uint index, string name, uint size)
    {
        var message = new byte[FileProtocol.HeaderSize + FileProtocol.FileInfoSize];
        FileFrameReader.WriteHeader(message, (int)FileCommandCode.BeginFile, FileProtocol.FileInfoSize);
        WriteFileInfo(message.AsSpan(FileProtocol.HeaderSize), index, name, size);
        return message;
    }

    public static byte[] FormatRequest(FileCommandCode code)
    {
        var message = new byte[FileProtocol.HeaderSize];
        FileFrameReader.WriteHeader(message, (int)code, 0);
        return message;
    }

    private static void WriteNulTerminated(Span<byte> field, string text)
    {
        field.Clear();
        var encoder = Encoding.UTF8.GetEncoder();
        // One byte kept for the NUL; the encoder stops on a character boundary instead of splitting a sequence.
        encoder.Convert(text, field[..^1], flush: true, out _, out _, out _);
    }

    private static string ReadNulTerminated(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
