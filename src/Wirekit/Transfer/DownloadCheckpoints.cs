using Microsoft.Win32.SafeHandles;

namespace Wirekit.Transfer;

/// <summary>
/// Records a download's progress in its journal once a second: first the .part's written bytes are flushed to disk
/// (fsync), then the journal says they are good, so a crash, a kill -9 or a power cut leaves a journal that never
/// claims a byte the disk does not hold. An owned loop beside the writer (fsync runs while the writer keeps
/// writing), stopped and awaited by <see cref="StopAsync"/>.
/// </summary>
internal sealed class DownloadCheckpoints
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SafeFileHandle _part;
    private readonly PartJournal _journal;
    private readonly RangeSet _before;
    private readonly IReadOnlyList<(long Offset, long Length)> _ranges;
    private readonly DiskWriter _writer;
    private readonly Lock _recording = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="part">NAME.part, flushed before each record.</param>
    /// <param name="journal">Where progress is recorded.</param>
    /// <param name="before">What was good when this run began (a resume).</param>
    /// <param name="ranges">What this run fetches; range i is <paramref name="writer"/>'s range i.</param>
    /// <param name="writer">Counts each range's bytes written so far.</param>
    public DownloadCheckpoints(SafeFileHandle part, PartJournal journal, RangeSet before, IReadOnlyList<(long Offset, long Length)> ranges, DiskWriter writer)
    {
        _part = part;
        _journal = journal;
        _before = before;
        _ranges = ranges;
        _writer = writer;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>What is on disk now: what was good before, plus each range's bytes written so far.</summary>
    public RangeSet Good()
    {
        var good = _before.Clone();
        for (var i = 0; i < _ranges.Count; i++)
        {
            good.Add(_ranges[i].Offset, _ranges[i].Offset + _writer.Written(i));
        }

        return good;
    }

    /// <summary>Flushes the .part, then records <see cref="Good"/> as taken before the flush.</summary>
    public void Record()
    {
        lock (_recording)
        {
            var good = Good();
            RandomAccess.FlushToDisk(_part);
            _journal.Record(good);
        }
    }

    /// <summary>Ends the loop; the caller records the final state itself.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Record();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (DiskErrors.IsDiskError(e))
        {
            // The disk refused (full, gone): the writer meets the same error and the download reports it.
        }
    }
}
