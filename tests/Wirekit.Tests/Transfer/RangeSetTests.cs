using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>The good-ranges bookkeeping behind --resume, and the journal that stores it: pure, no sockets.</summary>
public sealed class RangeSetTests
{
    [Fact]
    public void Ranges_merge_when_they_overlap_or_touch_and_the_missing_ones_are_their_complement()
    {
        var set = new RangeSet();
        set.Add(50, 60);
        set.Add(0, 10);
        set.Add(10, 20);
        set.Add(55, 70);
        set.Add(30, 30);
        Assert.Equal([(0L, 20L), (50L, 70L)], set.Ranges);
        Assert.Equal(40, set.Total);
        Assert.Equal(20, set.Prefix);
        Assert.Equal(70, set.End);
        Assert.Equal([(20L, 50L), (70L, 100L)], set.Missing(100));
        Assert.Equal([(0L, 5L)], new RangeSet().Missing(5));
        Assert.Empty(new RangeSet([(0, 5)]).Missing(5));
    }

    [Fact]
    public void Keeping_at_most_n_forgets_the_smallest_but_never_the_prefix()
    {
        var set = new RangeSet([(0, 1), (10, 30), (40, 41), (50, 60)]);
        set.KeepAtMost(2);
        Assert.Equal([(0L, 1L), (10L, 30L)], set.Ranges);
    }

    [Fact]
    public void Missing_bytes_are_spread_over_at_most_n_ranges_without_crossing_a_gap()
    {
        const int chunk = DiskWriter.ChunkSize;
        var ranges = FileTransferClient.SplitRanges([(0, 8L * chunk), (10L * chunk, 12L * chunk)], 4);
        Assert.Equal(10L * chunk, ranges.Sum(r => r.Length));
        Assert.All(ranges, r => Assert.True(r.Offset + r.Length <= 8L * chunk || r.Offset >= 10L * chunk));
        Assert.Equal([(0L, 256L * 1024)], FileTransferClient.SplitRanges([(0, 256 * 1024)], 8));
        Assert.Empty(FileTransferClient.SplitRanges([], 4));
    }

    [Fact]
    public void Journal_slot_round_trips_and_a_torn_or_lying_slot_is_not_believed()
    {
        var version = new FileVersion(1000, 1_700_000_000_000, UInt128.MaxValue - 7);
        var slot = new byte[PartJournal.SlotSize];
        PartJournal.FormatSlot(slot, 5, version, new RangeSet([(0, 100), (500, 600)]));
        var parsed = PartJournal.TryParseSlot(slot) ?? throw new InvalidOperationException("not parsed");
        Assert.Equal(5UL, parsed.Sequence);
        Assert.Equal(version, parsed.Version);
        Assert.Equal([(0L, 100L), (500L, 600L)], parsed.Good.Ranges);

        var torn = (byte[])slot.Clone();
        torn[60] ^= 1;
        Assert.Null(PartJournal.TryParseSlot(torn));

        // A correctly checksummed slot whose range runs past the file is still refused.
        PartJournal.FormatSlot(slot, 6, version with { Size = 550 }, new RangeSet([(500, 600)]));
        Assert.Null(PartJournal.TryParseSlot(slot));
    }

    [Fact]
    public void Journal_file_reads_back_its_newest_slot_and_the_older_one_when_the_newest_is_torn()
    {
        var path = Path.Join(Directory.CreateTempSubdirectory("wirekit-journal-").FullName, "x.part.journal");
        var version = new FileVersion(10_000, 1, UInt128.One);
        using (var journal = PartJournal.Create(path, version, new RangeSet([(0, 10)])))
        {
            journal.Record(new RangeSet([(0, 20)]));
        }

        Assert.Equal([(0L, 20L)], PartJournal.TryRead(path)!.Value.Good.Ranges);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            // The second record went to slot 0 (sequence 2): tear it.
            file.Position = 100;
            file.WriteByte(0xEE);
        }

        Assert.Equal([(0L, 10L)], PartJournal.TryRead(path)!.Value.Good.Ranges);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
