using System.IO.Hashing;

namespace Wirekit.Transfer;

/// <summary>The seed's classic protocol: find the name in CMD_GET_LIST, CMD_GET_FILE by index, exactly dwFileSize bytes, no hash.</summary>
public sealed partial class FileTransferClient
{
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
        CreateFolder(target);
        var hasher = new XxHash128();
        Exception? failure = null;
        try
        {
            using var file = File.OpenHandle(target.PartPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
            var writer = new DiskWriter(file, options.QueueBytes, hasher, 0, ranges: 1);
            try
            {
                await RangeReceiver.ReceiveToWriterAsync(connection, writer, 0, 0, size, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (DiskErrors.IsDiskError(e))
        {
            // The disk is the cause: the receiver only failed because the writer stopped taking chunks.
            throw new FileTransferException($"{DiskErrors.Describe(e, target.Folder)} (the classic protocol cannot resume: get it again)", inner: e);
        }

        if (failure is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw failure;
        }

        // The seed's protocol carries no hash: only the length was checked. Report the local hash so it can be compared by hand.
        Publish(target);
        return new FileDownloadResult(target.Name, target.FinalPath, size, size, Verified: false, hasher.GetCurrentHashAsUInt128().ToString("x32"), TimeSpan.Zero, 1);
    }

    private static async Task<IReadOnlyList<(uint Index, string Name, uint Size)>> ClassicListAsync(FileClientConnection connection, CancellationToken cancellationToken)
    {
        var frame = await connection.RequestAsync(ClassicMessages.FormatRequest(FileCommandCode.GetList), FileCommandCode.SendFileList, cancellationToken).ConfigureAwait(false);
        return ClassicMessages.ParseFileList(frame.Payload) ?? throw new FileTransferException("the server's classic file list is malformed");
    }
}
