using System.Diagnostics;
using System.IO.Hashing;

namespace Wirekit.Transfer;

/// <summary>
/// The file client: lists a server's files and downloads them to NAME.part, verifies the XXH128, then renames
/// atomically. Modern mode supports resume and parallel ranges; classic mode speaks the seed's protocol.
/// One download at a time per instance (the CLI makes one per file).
/// </summary>
public sealed partial class FileTransferClient(FileClientOptions options)
{
    private Action<long>? _starting;

    /// <summary>The files the server offers. In classic mode mtime and hash are 0 (the seed's FILEINFO has neither).</summary>
    public async Task<IReadOnlyList<FileEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (options.Classic)
        {
            return (await ClassicListAsync(connection, cancellationToken).ConfigureAwait(false))
                .Select(f => new FileEntry(f.Name, f.Size, 0, UInt128.Zero)).ToList();
        }

        var frame = await connection.RequestAsync(ClassicMessages.FormatRequest(FileCommandCode.List), FileCommandCode.FileList, cancellationToken).ConfigureAwait(false);
        return ModernMessages.ParseFileList(frame.Payload) ?? throw new FileTransferException("the server's file list is malformed");
    }

    /// <summary>
    /// Downloads <paramref name="name"/> into <paramref name="outputDirectory"/>. <paramref name="progress"/> receives
    /// byte counts as they arrive (from several threads when parallel); <paramref name="starting"/> is told how many
    /// bytes will come, once the server has said.
    /// </summary>
    public async Task<FileDownloadResult> GetAsync(string name, string outputDirectory, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default, Action<long>? starting = null)
    {
        _starting = starting;
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new FileTransferException($"'{name}' is not a plain file name");
        }

        if (options.Discard && (options.Resume || options.Parallel > 1 || options.Classic))
        {
            throw new FileTransferException("discard hashes the bytes in order as they arrive: it works only with one connection, without resume, in modern mode");
        }

        if (options.Discard)
        {
            _starting = starting;
            return await DiscardAsync(name, progress, cancellationToken).ConfigureAwait(false);
        }

        Directory.CreateDirectory(outputDirectory);
        var target = new DownloadTarget(name, Path.Join(outputDirectory, name));
        var clock = Stopwatch.StartNew();
        var result = options.Classic
            ? await GetClassicAsync(target, progress, cancellationToken).ConfigureAwait(false)
            : options.Parallel > 1
                ? await GetParallelAsync(target, progress, cancellationToken).ConfigureAwait(false)
                : await GetSequentialAsync(target, progress, cancellationToken).ConfigureAwait(false);
        return result with { Elapsed = clock.Elapsed };
    }

    private async Task<FileDownloadResult> GetSequentialAsync(DownloadTarget target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var start = options.Resume && File.Exists(target.PartPath) ? new FileInfo(target.PartPath).Length : 0;
        using var connection = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        var reply = await RequestRangeAsync(connection, target.Name, (ulong)start, FileProtocol.ToEnd, cancellationToken).ConfigureAwait(false);
        if (reply.Offset != (ulong)start || reply.Offset + reply.Length != reply.FileSize)
        {
            throw new FileTransferException($"the server sent range {reply.Offset}+{reply.Length} of {reply.FileSize} bytes, not {start} to the end");
        }

        _starting?.Invoke((long)reply.Length);
        var hasher = new XxHash128();
        using (var file = File.OpenHandle(target.PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
        {
            RandomAccess.SetLength(file, start);
            await using var writer = new DiskWriter(file, options.QueueBytes, hasher, start, ranges: 1);
            try
            {
                await RangeReceiver.ReceiveToWriterAsync(connection, writer, 0, start, (long)reply.Length, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Whatever arrived goes to disk even on failure, so --resume continues from it.
                await writer.CompleteAsync().ConfigureAwait(false);
            }
        }

        var actual = hasher.GetCurrentHashAsUInt128();
        return Finish(target, (long)reply.FileSize, (long)reply.Length, reply.Hash, actual, connections: 1);
    }

    private async Task<FileDownloadResult> DiscardAsync(string name, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var connection = await FileClientConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        var reply = await RequestRangeAsync(connection, name, 0, FileProtocol.ToEnd, cancellationToken).ConfigureAwait(false);
        _starting?.Invoke((long)reply.Length);
        // Nothing to write, so no writer task: hashing on the receive thread (35 GiB/s) costs less than a hand-off per chunk.
        var hasher = new XxHash128();
        await RangeReceiver.ReceiveAndHashAsync(connection, hasher, (long)reply.Length, progress, cancellationToken).ConfigureAwait(false);

        var actual = hasher.GetCurrentHashAsUInt128();
        if (actual != reply.Hash)
        {
            throw new FileTransferException($"hash mismatch for '{name}': the server's XXH128 is {reply.Hash:x32}, the received bytes hash to {actual:x32}");
        }

        return new FileDownloadResult(name, "(discarded)", (long)reply.FileSize, (long)reply.Length, Verified: true, actual.ToString("x32"), clock.Elapsed, 1);
    }

    private static async Task<FileReply> RequestRangeAsync(FileClientConnection connection, string name, ulong offset, ulong length, CancellationToken cancellationToken)
    {
        var frame = await connection.RequestAsync(ModernMessages.FormatGet(name, offset, length), FileCommandCode.File, cancellationToken).ConfigureAwait(false);
        return ModernMessages.TryParseFileReply(frame.Payload, out var reply)
            ? reply
            : throw new FileTransferException("the server's FILEREPLY is malformed");
    }

    private static FileDownloadResult Finish(DownloadTarget target, long size, long received, UInt128 expected, UInt128 actual, int connections)
    {
        if (expected != actual)
        {
            throw new FileTransferException(
                $"hash mismatch for '{target.Name}': the server's XXH128 is {expected:x32}, the received bytes hash to {actual:x32}. " +
                $"'{target.PartPath}' is kept for inspection (a plain get starts over); '{target.FinalPath}' was not touched.");
        }

        File.Move(target.PartPath, target.FinalPath, overwrite: true);
        return new FileDownloadResult(target.Name, target.FinalPath, size, received, Verified: true, actual.ToString("x32"), TimeSpan.Zero, connections);
    }

    private sealed record DownloadTarget(string Name, string FinalPath)
    {
        public string PartPath => FinalPath + ".part";
    }
}
