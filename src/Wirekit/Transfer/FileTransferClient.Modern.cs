using System.IO.Hashing;

namespace Wirekit.Transfer;

/// <summary>
/// Modern downloads: what NAME.part.journal says is already on disk (with --resume), the ranges still missing, one
/// or more connections fetching them, checkpoints while they run, and on failure a .part cut back to what is known
/// good with a journal that says so.
/// </summary>
public sealed partial class FileTransferClient
{
    private async Task<FileDownloadResult> GetModernAsync(DownloadTarget target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var resume = options.Resume ? ResumePoint.Read(target) : ResumePoint.Nothing;
        var first = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (resume.Good.Total == 0 && options.Parallel == 1)
            {
                // The common case in one round trip: the reply to "everything" carries the version too.
                var reply = await RequestRangeAsync(first, target.Name, 0, FileProtocol.ToEnd, cancellationToken).ConfigureAwait(false);
                CheckRange(target.Name, reply, 0, (long)reply.FileSize);
                var plan = new DownloadPlan(VersionOf(reply), new RangeSet(), [(0, (long)reply.FileSize)], resume.Note);
                return await DownloadAsync(target, plan, first, firstRequested: true, progress, cancellationToken).ConfigureAwait(false);
            }

            var meta = await RequestRangeAsync(first, target.Name, 0, 0, cancellationToken).ConfigureAwait(false);
            var version = VersionOf(meta);
            var (good, note) = resume.Version is { } recorded && recorded != version
                ? (new RangeSet(), $"the server's file changed since {target.PartPath} was written: started over")
                : (resume.Good, resume.Note);
            if (good.End > version.Size)
            {
                throw new FileTransferException($"{target.PartPath} is longer than the server's file ({good.End:N0} > {version.Size:N0} bytes)")
                {
                    Remedy = FileTransferRemedy.StartOver,
                };
            }

            var ranges = SplitRanges(good.Missing(version.Size), options.Parallel);
            return await DownloadAsync(target, new DownloadPlan(version, good, ranges, note), first, firstRequested: false, progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            first.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fetches the plan's ranges into NAME.part. One range that continues a prefix is hashed as it arrives (the
    /// writer hashes the prefix first); anything else is hashed after assembly.
    /// </summary>
    private async Task<FileDownloadResult> DownloadAsync(DownloadTarget target, DownloadPlan plan, FileClientConnection first, bool firstRequested,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var kept = plan.Good.Total;
        var inOrder = plan.Ranges.Count == 1 && kept == plan.Good.Prefix && plan.Ranges[0].Offset == kept && options.Parallel == 1;
        var hasher = inOrder ? new XxHash128() : null;
        _starting?.Invoke(plan.Ranges.Sum(r => r.Length));
        CreateFolder(target);
        var (part, journal) = OpenPart(target, plan);
        RangeSet good;
        Exception? failure = null;
        using (part)
        using (journal)
        {
            var writer = new DiskWriter(part, options.QueueBytes, hasher, hashPrefix: inOrder ? kept : 0, plan.Ranges.Count);
            var checkpoints = new DownloadCheckpoints(part, journal, plan.Good, plan.Ranges, writer);
            try
            {
                await FetchAllAsync(plan.Ranges, options.Parallel, first, firstRequested, target.Name, plan.Version, writer, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }

            try
            {
                await writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (DiskErrors.IsDiskError(e))
            {
                // The disk is the cause: the receivers only failed because the writer stopped taking chunks.
                failure = e;
            }

            await checkpoints.StopAsync().ConfigureAwait(false);
            good = checkpoints.Good();
            if (failure is not null)
            {
                KeepOnlyGood(part, journal, good);
            }
        }

        if (failure is not null)
        {
            throw await DescribeFailureAsync(target, plan.Version, good, failure, cancellationToken).ConfigureAwait(false);
        }

        var actual = hasher?.GetCurrentHashAsUInt128() ?? await FileHashCache.HashFileAsync(target.PartPath, cancellationToken).ConfigureAwait(false);
        if (actual != plan.Version.Hash)
        {
            throw await MismatchAsync(target, plan.Version, actual, cancellationToken).ConfigureAwait(false);
        }

        Publish(target);
        File.Delete(target.JournalPath);
        return new FileDownloadResult(target.Name, target.FinalPath, plan.Version.Size, plan.Version.Size - kept, Verified: true, actual.ToString("x32"), TimeSpan.Zero, plan.Ranges.Count)
        {
            Resumed = kept,
            Note = plan.Note,
        };
    }

    private static (Microsoft.Win32.SafeHandles.SafeFileHandle Part, PartJournal Journal) OpenPart(DownloadTarget target, DownloadPlan plan)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle? part = null;
        try
        {
            part = File.OpenHandle(target.PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            // Nothing past the last good byte is trusted; a fresh download starts from an empty file.
            RandomAccess.SetLength(part, plan.Good.End);
            return (part, PartJournal.Create(target.JournalPath, plan.Version, plan.Good));
        }
        catch (Exception e) when (DiskErrors.IsDiskError(e))
        {
            part?.Dispose();
            throw new FileTransferException(DiskErrors.Describe(e, target.Folder), inner: e);
        }
    }

    /// <summary>Cuts the .part back to its last good byte and records what is good; best effort, the disk may be what failed.</summary>
    private static void KeepOnlyGood(Microsoft.Win32.SafeHandles.SafeFileHandle part, PartJournal journal, RangeSet good)
    {
        try
        {
            RandomAccess.SetLength(part, good.End);
            RandomAccess.FlushToDisk(part);
            journal.Record(good);
        }
        catch (Exception e) when (DiskErrors.IsDiskError(e))
        {
        }
    }

    /// <summary>Turns a failed download into the one line the user reads, and says what --resume will find.</summary>
    private async Task<Exception> DescribeFailureAsync(DownloadTarget target, FileVersion version, RangeSet good, Exception failure, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // The inner exception says what is kept, and so whether resuming is worth it.
            return new OperationCanceledException($"interrupted; {Kept(target, good)}", Described(Kept(target, good), good, failure), cancellationToken);
        }

        if (DiskErrors.IsDiskError(failure))
        {
            return Described($"{DiskErrors.Describe(failure, target.Folder)}; {Kept(target, good)}", good, failure);
        }

        if (failure is FileTransferException { ServerError: null } && await HasChangedAsync(target.Name, version, cancellationToken).ConfigureAwait(false) is { } changed)
        {
            return FileChanged(target, keepPart: !changed.HashChanged);
        }

        var message = failure is FileTransferException ? failure.Message : $"download failed: {failure.Message}";
        return Described($"{message}; {Kept(target, good)}", good, failure);
    }

    private static FileTransferException Described(string message, RangeSet good, Exception failure)
        => new(message, (failure as FileTransferException)?.ServerError, failure) { Remedy = good.Total > 0 ? FileTransferRemedy.Resume : FileTransferRemedy.None };

    private async Task<Exception> MismatchAsync(DownloadTarget target, FileVersion version, UInt128 actual, CancellationToken cancellationToken)
    {
        if (await HasChangedAsync(target.Name, version, cancellationToken).ConfigureAwait(false) is { } changed)
        {
            return FileChanged(target, keepPart: !changed.HashChanged);
        }

        // Corrupt somewhere: nothing in the .part can be trusted for --resume, but it stays for inspection.
        PartJournal.Create(target.JournalPath, version, new RangeSet()).Dispose();

        return new FileTransferException(
            $"hash mismatch for '{target.Name}': the server's XXH128 is {version.Hash:x32}, the received bytes hash to {actual:x32}. " +
            $"'{target.PartPath}' is kept for inspection (a new download, resumed or not, starts over); '{target.FinalPath}' was not touched.");
    }

    /// <summary>
    /// The server's file is no longer the version this download began with. Bytes of the old version are kept for
    /// --resume only when the server's hash says the content is the same (only the time changed).
    /// </summary>
    private static FileTransferException FileChanged(DownloadTarget target, bool keepPart)
    {
        if (!keepPart)
        {
            File.Delete(target.PartPath);
            File.Delete(target.JournalPath);
        }

        return new FileTransferException($"'{target.Name}': the server's file changed during the transfer; run again");
    }

    /// <summary>Asks the server (a new connection) whether its file still is <paramref name="version"/>; null when it is, or when it cannot say.</summary>
    private async Task<(bool HashChanged, bool Gone)?> HasChangedAsync(string name, FileVersion version, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            var now = VersionOf(await RequestRangeAsync(connection, name, 0, 0, cancellationToken).ConfigureAwait(false));
            return now == version ? null : (now.Hash != version.Hash, false);
        }
        catch (FileTransferException e) when (e.ServerError == FileErrorCode.NotFound)
        {
            return (true, true);
        }
        catch (FileTransferException)
        {
            return null;
        }
    }

    private static string Kept(DownloadTarget target, RangeSet good)
        => good.Total > 0
            ? $"{good.Total / (1024.0 * 1024):0.0} MiB kept in {target.PartPath}"
            : $"nothing kept in {target.PartPath}";

    private static FileVersion VersionOf(FileReply reply) => new((long)reply.FileSize, reply.MtimeUnixMs, reply.Hash);

    private static void CheckRange(string name, FileReply reply, long offset, long length)
    {
        if (reply.Offset != (ulong)offset || reply.Length != (ulong)length)
        {
            throw new FileTransferException($"'{name}': asked for bytes {offset}+{length}, the server sent {reply.Offset}+{reply.Length}");
        }
    }

    /// <summary>What a download will do: the version it fetches, what is already good, the ranges to fetch.</summary>
    private sealed record DownloadPlan(FileVersion Version, RangeSet Good, List<(long Offset, long Length)> Ranges, string? Note);

    /// <summary>What --resume found next to the target.</summary>
    private sealed record ResumePoint(FileVersion? Version, RangeSet Good, string? Note)
    {
        public static readonly ResumePoint Nothing = new(null, new RangeSet(), null);

        public static ResumePoint Read(DownloadTarget target)
        {
            if (!File.Exists(target.PartPath))
            {
                return Nothing;
            }

            if (PartJournal.TryRead(target.JournalPath) is { } journal)
            {
                return new ResumePoint(journal.Version, journal.Good, null);
            }

            // A .part without a journal (a classic get, or an older Wirekit) was written in order: its length is its prefix.
            return File.Exists(target.JournalPath)
                ? Nothing with { Note = $"{target.JournalPath} is unreadable: started over" }
                : new ResumePoint(null, new RangeSet([(0, new FileInfo(target.PartPath).Length)]), null);
        }
    }
}
