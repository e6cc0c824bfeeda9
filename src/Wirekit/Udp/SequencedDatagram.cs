using System.Buffers;
using System.Buffers.Binary;

namespace Wirekit.Udp;

/// <summary>
/// The header `udp send --count` puts in front of each datagram so the receiver can count loss, duplicates
/// and reordering: "WKSQ", sequence number, total sent (both big-endian uint32). Pure: bytes in, bytes out.
/// </summary>
public static class SequencedDatagram
{
    public const int HeaderLength = 12;
    private static ReadOnlySpan<byte> Magic => "WKSQ"u8;

    public static int Write(Span<byte> destination, uint sequence, uint total)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], total);
        return HeaderLength;
    }

    public static OperationStatus TryRead(ReadOnlySpan<byte> datagram, out uint sequence, out uint total)
    {
        sequence = 0;
        total = 0;
        if (datagram.Length < HeaderLength || !datagram[..4].SequenceEqual(Magic))
        {
            return OperationStatus.InvalidData;
        }

        sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        total = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        // A sequence number past the announced total is not ours (or is corrupt): refuse it.
        return total == 0 || sequence >= total ? OperationStatus.InvalidData : OperationStatus.Done;
    }
}
