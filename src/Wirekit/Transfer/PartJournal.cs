using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace Wirekit.Transfer;

/// <summary>The version of a server's file a .part holds bytes of, as the server's reply described it.</summary>
internal readonly record struct FileVersion(long Size, long LastWriteUnixMs, UInt128 Hash);

/// <summary>
/// NAME.part.journal: which byte ranges of NAME.part are on disk, and of which version of the server's file
/// (docs/file-protocol.md, "Download journal"). Two 2 KiB slots written alternately, each with a sequence number and
/// a checksum, so a write torn by a crash leaves the other slot readable. The file is written in full when created,
/// so later updates overwrite blocks it already owns: a full disk can still record what is good.
/// </summary>
internal sealed class PartJournal : IDisposable
{
    public const int SlotSize = 2048;
    public const int Size = 2 * SlotSize;

    private const ulong Magic = 0x31_54_52_41_50_4B_57; // "WKPART1" little-endian, then a NUL
    private const int RangesOffset = 56;
    private const int ChecksumOffset = SlotSize - sizeof(ulong);

    /// <summary>Ranges one slot holds; more are cut by <see cref="RangeSet.KeepAtMost"/> (forgotten bytes are fetched again).</summary>
    public const int MaxRanges = (ChecksumOffset - RangesOffset) / 16;

    private readonly SafeFileHandle _file;
    private readonly FileVersion _version;
    private readonly byte[] _slot = new byte[SlotSize];
    private ulong _sequence;

    private PartJournal(SafeFileHandle file, FileVersion version)
    {
        _file = file;
        _version = version;
    }

    public static string PathFor(string partPath) => partPath + ".journal";

    /// <summary>Starts a journal for <paramref name="version"/> with <paramref name="good"/> already on disk, replacing any old one.</summary>
    public static PartJournal Create(string path, FileVersion version, RangeSet good)
    {
        var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            RandomAccess.Write(file, new byte[Size], 0);
            var journal = new PartJournal(file, version);
            journal.Record(good);
            return journal;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>What a journal says, or null when there is none or neither slot is intact (then nothing is trusted).</summary>
    public static (FileVersion Version, RangeSet Good)? TryRead(string path)
    {
        byte[] bytes;
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (RandomAccess.GetLength(file) != Size)
            {
                return null;
            }

            bytes = new byte[Size];
            if (RandomAccess.Read(file, bytes, 0) != Size)
            {
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var first = TryParseSlot(bytes.AsSpan(0, SlotSize));
        var second = TryParseSlot(bytes.AsSpan(SlotSize, SlotSize));
        var newest = first is null ? second : second is null || first.Value.Sequence > second.Value.Sequence ? first : second;
        return newest is { } slot ? (slot.Version, slot.Good) : null;
    }

    /// <summary>Records <paramref name="good"/>: the caller has flushed those bytes of the .part to disk first.</summary>
    public void Record(RangeSet good)
    {
        _sequence++;
        FormatSlot(_slot, _sequence, _version, good);
        RandomAccess.Write(_file, _slot, (long)(_sequence % 2) * SlotSize);
        RandomAccess.FlushToDisk(_file);
    }

    public void Dispose() => _file.Dispose();

    internal static void FormatSlot(Span<byte> slot, ulong sequence, FileVersion version, RangeSet good)
    {
        slot.Clear();
        var ranges = good.Clone();
        ranges.KeepAtMost(MaxRanges);
        BinaryPrimitives.WriteUInt64LittleEndian(slot, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(slot[16..], version.Size);
        BinaryPrimitives.WriteInt64LittleEndian(slot[24..], version.LastWriteUnixMs);
        BinaryPrimitives.WriteUInt128BigEndian(slot[32..], version.Hash);
        BinaryPrimitives.WriteInt32LittleEndian(slot[48..], ranges.Ranges.Count);
        var at = RangesOffset;
        foreach (var (start, end) in ranges.Ranges)
        {
            BinaryPrimitives.WriteInt64LittleEndian(slot[at..], start);
            BinaryPrimitives.WriteInt64LittleEndian(slot[(at + 8)..], end - start);
            at += 16;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(slot[ChecksumOffset..], XxHash64.HashToUInt64(slot[..ChecksumOffset]));
    }

    internal static (ulong Sequence, FileVersion Version, RangeSet Good)? TryParseSlot(ReadOnlySpan<byte> slot)
    {
        if (slot.Length != SlotSize || BinaryPrimitives.ReadUInt64LittleEndian(slot) != Magic
            || BinaryPrimitives.ReadUInt64LittleEndian(slot[ChecksumOffset..]) != XxHash64.HashToUInt64(slot[..ChecksumOffset]))
        {
            return null;
        }

        var version = new FileVersion(BinaryPrimitives.ReadInt64LittleEndian(slot[16..]), BinaryPrimitives.ReadInt64LittleEndian(slot[24..]),
            BinaryPrimitives.ReadUInt128BigEndian(slot[32..]));
        var count = BinaryPrimitives.ReadInt32LittleEndian(slot[48..]);
        if (version.Size < 0 || count is < 0 or > MaxRanges)
        {
            return null;
        }

        var good = new RangeSet();
        long previousEnd = -1;
        for (var i = 0; i < count; i++)
        {
            var start = BinaryPrimitives.ReadInt64LittleEndian(slot[(RangesOffset + (16 * i))..]);
            var length = BinaryPrimitives.ReadInt64LittleEndian(slot[(RangesOffset + (16 * i) + 8)..]);
            // Checked, not trusted: sorted, disjoint, inside the file. Anything else means nothing in it is believed.
            if (start <= previousEnd || length <= 0 || start > version.Size - length)
            {
                return null;
            }

            good.Add(start, start + length);
            previousEnd = start + length;
        }

        return (BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]), version, good);
    }
}
