namespace Wirekit.Transfer;

/// <summary>Fetching ranges: one per connection, each written at its own offset (the seed's overlapped writes at offsets).</summary>
public sealed partial class FileTransferClient
{
    /// <summary>The most connections one download opens; more only adds handshakes and seeks.</summary>
    public const int MaxParallel = 64;

    /// <summary>
    /// Runs at most <paramref name="connections"/> workers, each fetching its share of <paramref name="ranges"/> in
    /// order over one connection (the first worker may be handed <paramref name="first"/>, already connected). The
    /// first worker to fail stops the others: the download has failed and their bytes would only be cut off.
    /// </summary>
    private async Task FetchAllAsync(IReadOnlyList<(long Offset, long Length)> ranges, int connections, FileClientConnection first, bool firstRequested,
        string name, FileVersion version, DiskWriter writer, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var workers = Math.Max(1, Math.Min(connections, ranges.Count));
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = Enumerable.Range(0, workers)
            .Select(w => FetchShareAsync(w == 0 ? first : null, w == 0 && firstRequested, name, version, writer, ranges,
                from: ranges.Count * w / workers, to: ranges.Count * (w + 1) / workers, progress, abort))
            .ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The worker that failed first says why; the others only saw the abort.
            throw tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(x => x is FileTransferException) ?? e;
        }
    }

    private async Task FetchShareAsync(FileClientConnection? connection, bool requested, string name, FileVersion version, DiskWriter writer,
        IReadOnlyList<(long Offset, long Length)> ranges, int from, int to, IProgress<long>? progress, CancellationTokenSource abort)
    {
        await Task.Yield();
        try
        {
            connection ??= await FileClientConnection.ConnectAsync(options, abort.Token).ConfigureAwait(false);
            for (var i = from; i < to; i++)
            {
                var (offset, length) = ranges[i];
                if (!(requested && i == from))
                {
                    var reply = await RequestRangeAsync(connection, name, (ulong)offset, (ulong)length, abort.Token).ConfigureAwait(false);
                    if (VersionOf(reply) != version)
                    {
                        throw new FileTransferException($"'{name}': the server's file changed during the transfer; run again");
                    }

                    CheckRange(name, reply, offset, length);
                }

                await RangeReceiver.ReceiveToWriterAsync(connection, writer, i, offset, length, progress, abort.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await abort.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>
    /// Spreads the missing bytes over at most <paramref name="count"/> ranges of about equal size, splitting missing
    /// stretches where needed (never below one writer chunk, so a small file gets fewer connections).
    /// </summary>
    internal static List<(long Offset, long Length)> SplitRanges(IReadOnlyList<(long Start, long End)> missing, int count)
    {
        var total = missing.Sum(m => m.End - m.Start);
        count = (int)Math.Max(1, Math.Min(Math.Min(count, MaxParallel), total / DiskWriter.ChunkSize));
        var ranges = new List<(long, long)>();
        var share = (total + count - 1) / count;
        foreach (var (start, end) in missing)
        {
            for (var from = start; from < end;)
            {
                var to = Math.Min(end, from + share);
                // A stretch left shorter than a chunk joins its neighbour instead of costing a connection.
                if (end - to < DiskWriter.ChunkSize)
                {
                    to = end;
                }

                ranges.Add((from, to - from));
                from = to;
            }
        }

        return ranges;
    }
}
