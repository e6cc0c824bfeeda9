using System.Diagnostics;
using System.IO.Hashing;

namespace Wirekit.Transfer;

/// <summary>
/// The file client: lists a server's files and downloads them to NAME.part, verifies the XXH128, then renames
/// atomically. Modern mode supports resume and parallel ranges, recorded in NAME.part.journal; classic mode speaks
/// the seed's protocol. One download at a time per instance (the CLI makes one per file).
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
    /// bytes will come, once the server has said. Every failure the user can act on is a
    /// <see cref="FileTransferException"/> whose message is one line; cancellation is an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<FileDownloadResult> GetAsync(string name, string outputDirectory, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default, Action<long>? starting = null)
    {
        _starting = starting;
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new FileTransferException($"'{name}' is not a plain file name (one file of the server's folder, without '/' or '..')");
        }

        if (options.Discard && (options.Resume || options.Parallel > 1 || options.Classic))
        {
            throw new FileTransferException("discard hashes the bytes in order as they arrive: it works only with one connection, without resume, in modern mode");
        }

        if (options.Discard)
        {
            return await DiscardAsync(name, progress, cancellationToken).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var target = PrepareTarget(name, outputDirectory);
        var result = options.Classic
            ? await GetClassicAsync(target, progress, cancellationToken).ConfigureAwait(false)
            : await GetModernAsync(target, progress, cancellationToken).ConfigureAwait(false);
        return result with { Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// Checks the output folder before anything is asked of the server, and creates it only once the server has
    /// something to put there: a failed get leaves no empty folder behind.
    /// </summary>
    private static DownloadTarget PrepareTarget(string name, string folder)
    {
        if (File.Exists(folder))
        {
            throw new FileTransferException($"{folder}: is a file, not a folder") { Remedy = FileTransferRemedy.ChooseFolder };
        }

        var target = new DownloadTarget(name, Path.Join(folder, name), folder);
        if (Directory.Exists(target.FinalPath))
        {
            throw new FileTransferException($"{target.FinalPath}: is a folder; the download would need its name");
        }

        return target;
    }

    private static void CreateFolder(DownloadTarget target)
    {
        try
        {
            Directory.CreateDirectory(target.Folder);
        }
        catch (Exception e) when (DiskErrors.IsDiskError(e))
        {
            throw new FileTransferException(DiskErrors.Describe(e, target.Folder), inner: e);
        }
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

    /// <summary>Moves the verified NAME.part over NAME (same folder, so atomic).</summary>
    private static void Publish(DownloadTarget target)
    {
        try
        {
            File.Move(target.PartPath, target.FinalPath, overwrite: true);
        }
        catch (Exception e) when (DiskErrors.IsDiskError(e))
        {
            throw new FileTransferException($"{DiskErrors.Describe(e, target.FinalPath)}; the verified file is in {target.PartPath}", inner: e);
        }
    }

    private sealed record DownloadTarget(string Name, string FinalPath, string Folder)
    {
        public string PartPath => FinalPath + ".part";

        public string JournalPath => PartJournal.PathFor(PartPath);
    }
}
