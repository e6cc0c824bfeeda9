using System.IO.Hashing;

namespace Wirekit.Transfer;

/// <summary>Parallel ranges and the classic protocol.</summary>
public sealed partial class FileTransferClient
{
    /// <summary>
    /// N connections fetch N ranges, each written at its own offset (the seed's overlapped writes at offsets). On
    /// failure the .part is cut back to the longest prefix that is complete on disk, so --resume stays correct.
    /// The hash is computed after assembly: the ranges arrive out of order, so it cannot overlap the transfer.
    /// </summary>
    private async Task<FileDownloadResult> GetParallelAsync(DownloadTarget target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var start = options.Resume && File.Exists(target.PartPath) ? new FileInfo(target.PartPath).Length : 0;
        var first = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        FileReply meta;
        try
        {
            meta = await RequestRangeAsync(first, target.Name, 0, 0, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            first.Dispose();
            throw;
        }

        var size = (long)meta.FileSize;
        if (start > size)
        {
            first.Dispose();
            throw new FileTransferException($"'{target.PartPath}' is longer than the server's file ({start} > {size}); delete it and start over");
        }

        var ranges = SplitRanges(start, size, options.Parallel);
        _starting?.Invoke(size - start);
        long prefix;
        using (var file = File.OpenHandle(target.PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
        {
            RandomAccess.SetLength(file, start);
            var writer = new DiskWriter(file, options.QueueBytes, hasher: null, hashPrefix: 0, ranges.Count);
            // The first range to fail stops the others: the download has failed and their bytes would only be cut off.
            using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var fetches = ranges.Select((r, i) => FetchRangeAsync(i == 0 ? first : null, target.Name, meta, writer, i, r.Offset, r.Length, progress, abort)).ToList();
            Exception? failure = null;
            try
            {
                await Task.WhenAll(fetches).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = fetches.Select(f => f.Exception?.InnerException).FirstOrDefault(x => x is FileTransferException) ?? e;
            }

            try
            {
                await writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (failure is null)
            {
                failure = e;
            }

            prefix = start;
            for (var i = 0; i < ranges.Count && prefix == ranges[i].Offset; i++)
            {
                prefix += writer.Written(i);
            }

            if (failure is not null)
            {
                RandomAccess.SetLength(file, prefix);
                cancellationToken.ThrowIfCancellationRequested();
                throw failure is FileTransferException ? failure : new FileTransferException($"parallel download failed: {failure.Message}; {prefix} bytes kept for --resume", inner: failure);
            }
        }

        var actual = await FileHashCache.HashFileAsync(target.PartPath, cancellationToken).ConfigureAwait(false);
        return Finish(target, size, size - start, meta.Hash, actual, ranges.Count);
    }

    private async Task FetchRangeAsync(FileClientConnection? connection, string name, FileReply meta, DiskWriter writer, int range, long offset, long length,
        IProgress<long>? progress, CancellationTokenSource abort)
    {
        await Task.Yield();
        try
        {
            await FetchRangeCoreAsync(connection, name, meta, writer, range, offset, length, progress, abort.Token).ConfigureAwait(false);
        }
        catch
        {
            connection?.Dispose();
            await abort.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task FetchRangeCoreAsync(FileClientConnection? connection, string name, FileReply meta, DiskWriter writer, int range, long offset, long length,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        connection ??= await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        using (connection)
        {
            var reply = await RequestRangeAsync(connection, name, (ulong)offset, (ulong)length, cancellationToken).ConfigureAwait(false);
            if (reply.Hash != meta.Hash || reply.FileSize != meta.FileSize)
            {
                throw new FileTransferException($"'{name}' changed on the server during the download (its size or hash differs between ranges)");
            }

            if (reply.Offset != (ulong)offset || reply.Length != (ulong)length)
            {
                throw new FileTransferException($"asked for range {offset}+{length}, the server sent {reply.Offset}+{reply.Length}");
            }

            await RangeReceiver.ReceiveToWriterAsync(connection, writer, range, offset, length, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<(long Offset, long Length)> SplitRanges(long start, long end, int count)
    {
        var total = end - start;
        count = (int)Math.Max(1, Math.Min(count, total / DiskWriter.ChunkSize));
        var ranges = new List<(long, long)>(count);
        for (var i = 0; i < count; i++)
        {
            var from = start + (total * i / count);
            var to = start + (total * (i + 1) / count);
            ranges.Add((from, to - from));
        }

        return ranges;
    }

    private async Task<FileDownloadResult> GetClassicAsync(DownloadTarget target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var connection = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        var files = await ClassicListAsync(connection, cancellationToken).ConfigureAwait(false);
        var wanted = files.FirstOrDefault(f => f.Name == target.Name);
        if (wanted.Name is null)
        {
            throw new FileTransferException($"the server's classic list has no '{target.Name}' (files of 4 GiB or more, or with long names, are only in the modern list)", FileErrorCode.NotFound);
        }

        var frame = await connection.RequestAsync(ClassicMessages.FormatGetFile(wanted.Index), FileCommandCode.BeginFile, cancellationToken).ConfigureAwait(false);
        if (frame.Payload.Length != FileProtocol.FileInfoSize)
        {
            throw new FileTransferException("the server's FILEINFO is not 264 bytes");
        }

        var (_, name, size) = ClassicMessages.ReadFileInfo(System.Buffers.BuffersExtensions.ToArray(frame.Payload));
        if (name != target.Name)
        {
            throw new FileTransferException($"asked for '{target.Name}' (index {wanted.Index}), the server began '{name}': the folder changed between list and get");
        }

        _starting?.Invoke(size);
        var hasher = new XxHash128();
        using (var file = File.OpenHandle(target.PartPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read))
        {
            await using var writer = new DiskWriter(file, options.QueueBytes, hasher, 0, ranges: 1);
            try
            {
                await RangeReceiver.ReceiveToWriterAsync(connection, writer, 0, 0, size, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await writer.CompleteAsync().ConfigureAwait(false);
            }
        }

        // The seed's protocol carries no hash: only the length was checked. Report the local hash so it can be compared by hand.
        File.Move(target.PartPath, target.FinalPath, overwrite: true);
        return new FileDownloadResult(target.Name, target.FinalPath, size, size, Verified: false, hasher.GetCurrentHashAsUInt128().ToString("x32"), TimeSpan.Zero, 1);
    }

    private static async Task<IReadOnlyList<(uint Index, string Name, uint Size)>> ClassicListAsync(FileClientConnection connection, CancellationToken cancellationToken)
    {
        var frame = await connection.RequestAsync(ClassicMessages.FormatRequest(FileCommandCode.GetList), FileCommandCode.SendFileList, cancellationToken).ConfigureAwait(false);
        return ClassicMessages.ParseFileList(frame.Payload) ?? throw new FileTransferException("the server's classic file list is malformed");
    }
}
