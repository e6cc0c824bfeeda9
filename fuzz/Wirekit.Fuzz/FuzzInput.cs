namespace Wirekit.Fuzz;

/// <summary>
/// One fuzz case: the bytes a parser is fed, cut into the chunks TCP might deliver them in. The first byte is a
/// header: its low 3 bits say how many chunk-size bytes follow (0: everything in one piece), its high 5 bits pick a
/// harness-specific mode. Each chunk-size byte is a chunk length (0: the rest), used in turn and repeated, so a
/// mutated header reaches every split, one byte at a time included, without the fuzzer having to learn a format.
/// </summary>
public sealed class FuzzInput
{
    private FuzzInput(int mode, byte[] data, int[] chunkSizes)
    {
        Mode = mode;
        Data = data;
        ChunkSizes = chunkSizes;
    }

    /// <summary>0..31, chosen by the header's high bits; each harness says what it means.</summary>
    public int Mode { get; }

    /// <summary>The bytes after the header.</summary>
    public byte[] Data { get; }

    /// <summary>The chunk lengths, in turn (0: the rest); empty for one chunk.</summary>
    public IReadOnlyList<int> ChunkSizes { get; }

    public static FuzzInput Parse(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            return new FuzzInput(0, [], []);
        }

        var sizeCount = Math.Min(raw[0] & 0x07, raw.Length - 1);
        var sizes = new int[sizeCount];
        for (var i = 0; i < sizeCount; i++)
        {
            sizes[i] = raw[1 + i];
        }

        return new FuzzInput(raw[0] >> 3, raw[(1 + sizeCount)..].ToArray(), sizes);
    }

    /// <summary>The header that makes <see cref="Parse"/> give back this mode, these chunk sizes and this data.</summary>
    public static byte[] Format(int mode, ReadOnlySpan<byte> chunkSizes, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mode, 31);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSizes.Length, 7);
        var raw = new byte[1 + chunkSizes.Length + data.Length];
        raw[0] = (byte)((mode << 3) | chunkSizes.Length);
        chunkSizes.CopyTo(raw.AsSpan(1));
        data.CopyTo(raw.AsSpan(1 + chunkSizes.Length));
        return raw;
    }

    /// <summary>The data cut as the header says; the chunks laid end to end are <see cref="Data"/>.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        var offset = 0;
        var turn = 0;
        while (offset < Data.Length)
        {
            var size = ChunkSizes.Count == 0 ? 0 : ChunkSizes[turn++ % ChunkSizes.Count];
            var length = size == 0 ? Data.Length - offset : Math.Min(size, Data.Length - offset);
            yield return Data.AsMemory(offset, length);
            offset += length;
        }
    }
}
