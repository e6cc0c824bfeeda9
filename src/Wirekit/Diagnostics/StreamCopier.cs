using System.Buffers;
using System.Diagnostics;

namespace Wirekit.Diagnostics;

/// <summary>Copies a body to its destination with a pooled buffer, reporting progress at most a few times a second.</summary>
internal static class StreamCopier
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(200);

    public static async Task<long> CopyAsync(
        Stream source, Stream destination, long startAt, long? total, IProgress<TransferProgress>? progress,
        TimeSpan? idleTimeout, CancellationToken ct)
    {
        // The idle limit restarts with every read: a big transfer may take long, a stalled one may not.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var copied = startAt;
        try
        {
            int read;
            while (true)
            {
                if (idleTimeout is { } limit)
                {
                    idle.CancelAfter(limit);
                }

                read = await source.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), idle.Token).ConfigureAwait(false);
                copied += read;
                if (progress is not null && clock.Elapsed - lastReport >= ReportEvery)
                {
                    lastReport = clock.Elapsed;
                    progress.Report(new TransferProgress(copied, total, clock.Elapsed));
                }
            }

            progress?.Report(new TransferProgress(copied, total, clock.Elapsed));
            return copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
