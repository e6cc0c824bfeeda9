using System.Buffers;
using System.Buffers.Binary;

namespace Wirekit.Transfer;

/// <summary>One MYCMD header and its payload. The payload is a slice of the reader's buffer: valid until that buffer is advanced.</summary>
public readonly record struct FileFrame(int Code, ReadOnlySequence<byte> Payload);

/// <summary>
/// Cuts MYCMD frames out of a byte stream ("끊어낸다"). Pure and resumable: give it whatever has arrived, it returns
/// NeedMoreData until a whole header and payload are there, whatever the split. The size is bounded before it is
/// trusted, so a peer's claim never turns into an allocation.
/// </summary>
public static class FileFrameReader
{
    /// <summary>
    /// Done: <paramref name="frame"/> is set and <paramref name="consumed"/> is just past it. NeedMoreData: nothing
    /// consumed. InvalidData: the size is negative or above <paramref name="maxPayload"/>; <paramref name="frame"/>
    /// carries the code and an empty payload, and the stream cannot be resynchronised.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySequence<byte> buffer, Func<int, int> maxPayload, out FileFrame frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = buffer.Start;
        if (buffer.Length < FileProtocol.HeaderSize)
        {
            return OperationStatus.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[FileProtocol.HeaderSize];
        buffer.Slice(0, FileProtocol.HeaderSize).CopyTo(header);
        var code = BinaryPrimitives.ReadInt32LittleEndian(header);
        var size = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (size < 0 || size > maxPayload(code))
        {
            frame = new FileFrame(code, ReadOnlySequence<byte>.Empty);
            return OperationStatus.InvalidData;
        }

        if (buffer.Length < FileProtocol.HeaderSize + (long)size)
        {
            return OperationStatus.NeedMoreData;
        }

        frame = new FileFrame(code, buffer.Slice(FileProtocol.HeaderSize, size));
        consumed = buffer.GetPosition(FileProtocol.HeaderSize + (long)size);
        return OperationStatus.Done;
    }

    /// <summary>Writes a MYCMD header; returns the 8 bytes written.</summary>
    public static int WriteHeader(Span<byte> destination, int code, int payloadSize)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, code);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], payloadSize);
        return FileProtocol.HeaderSize;
    }
}
