using System.Buffers.Binary;

namespace Wirekit.Samples.KeyValue;

/// <summary>
/// The framing: a 4-byte big-endian length, then that many bytes. TCP is a byte stream (send and recv are not 1:1),
/// so a frame may arrive in pieces, and several may arrive in one receive: the receiver must find the boundaries.
/// The length is checked against <see cref="MaxPayload"/> before anything is allocated for it, so a peer that claims
/// 4 GiB gets an error, not a 4 GiB buffer.
/// </summary>
public static class Frame
{
    public const int HeaderSize = 4;

    /// <summary>The largest payload either side accepts.</summary>
    public const int MaxPayload = 64 * 1024;

    /// <summary>Writes the header for a payload of <paramref name="payloadLength"/> bytes into the first 4 bytes of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxPayload);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)payloadLength);
    }

    /// <summary>Reads the payload length from a complete header; false when it is beyond <see cref="MaxPayload"/>.</summary>
    public static bool TryReadLength(ReadOnlySpan<byte> header, out int length)
    {
        var declared = BinaryPrimitives.ReadUInt32BigEndian(header);
        length = declared <= MaxPayload ? (int)declared : -1;
        return length >= 0;
    }
}
