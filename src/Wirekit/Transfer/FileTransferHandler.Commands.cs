namespace Wirekit.Transfer;

/// <summary>The list and file commands, classic and modern.</summary>
public sealed partial class FileTransferHandler
{
    private const long ClassicMaxSize = uint.MaxValue;

    private async ValueTask SendClassicListAsync(FileSession session, CancellationToken cancellationToken)
    {
        var files = ClassicFiles();
        await session.SendAsync(ClassicMessages.FormatFileList(files.ConvertAll(f => (f.Name, (uint)f.Size))), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendClassicFileAsync(FileSession session, FileFrame frame, CancellationToken cancellationToken)
    {
        if (!ClassicMessages.TryParseGetFile(frame.Payload, out var index))
        {
            await SendErrorAsync(session, FileErrorCode.BadRequest, "GETFILE is 4 bytes: uint32 index", cancellationToken).ConfigureAwait(false);
            return;
        }

        var files = ClassicFiles();
        if (index >= files.Count)
        {
            await SendErrorAsync(session, FileErrorCode.NotFound, $"no file with index {index}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var file = files[(int)index];
        await using var served = ServedFile.TryOpen(file, out var failure);
        if (failure is not null)
        {
            await SendReadFailureAsync(session, failure, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (served is null || served.HasChanged())
        {
            await SendErrorAsync(session, FileErrorCode.IoError, $"'{file.Name}' cannot be read", cancellationToken).ConfigureAwait(false);
            return;
        }

        // FILEINFO promises exactly the size the jail saw; a file that changes from here on ends the connection.
        var prefix = ClassicMessages.FormatBeginFile(index, file.Name, (uint)file.Size);
        await session.SendFileAsync(prefix, served, 0, file.Size, cancellationToken).ConfigureAwait(false);
        FileTransferLog.Sent(_logger, session.Id, file.Name, 0, file.Size, "classic");
        _metrics.SentFile(file.Size);
    }

    private async ValueTask SendModernListAsync(FileSession session, CancellationToken cancellationToken)
    {
        var files = _jail.List();
        var entries = new List<FileEntry>(files.Count);
        foreach (var file in files)
        {
            var hash = await _hashes.GetAsync(file).WaitAsync(cancellationToken).ConfigureAwait(false);
            entries.Add(new FileEntry(file.Name, file.Size, file.LastWriteUnixMs, hash));
        }

        var message = ModernMessages.FormatFileList(entries, out var written);
        if (written < entries.Count)
        {
            FileTransferLog.ListTruncated(_logger, written, entries.Count);
        }

        await session.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendModernFileAsync(FileSession session, FileFrame frame, CancellationToken cancellationToken)
    {
        if (!ModernMessages.TryParseGet(frame.Payload, out var name, out var offset, out var length))
        {
            await SendErrorAsync(session, FileErrorCode.BadRequest, "GET is offset, length, nameLength (1..1024), UTF-8 name", cancellationToken).ConfigureAwait(false);
            return;
        }

        var (file, error, reason) = _jail.Resolve(name);
        if (file is null)
        {
            await SendErrorAsync(session, error, reason, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var served = ServedFile.TryOpen(file, out var failure);
        if (served is null)
        {
            await SendReadFailureAsync(session, failure!, cancellationToken).ConfigureAwait(false);
            return;
        }

        var size = (ulong)file.Size;
        if (offset > size)
        {
            await SendErrorAsync(session, FileErrorCode.BadRequest, $"offset {offset} is past the end of '{name}' ({size} bytes)", cancellationToken).ConfigureAwait(false);
            return;
        }

        var hash = await _hashes.GetAsync(file).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (served.HasChanged())
        {
            // Changed between the jail's look and now (perhaps while being hashed): nothing promised yet, so say so.
            await SendErrorAsync(session, FileErrorCode.IoError, $"'{name}' is changing on the server; try again", cancellationToken).ConfigureAwait(false);
            return;
        }

        var send = Math.Min(length, size - offset);
        var prefix = ModernMessages.FormatFileReply(new FileReply(size, file.LastWriteUnixMs, hash, offset, send));
        await session.SendFileAsync(prefix, served, (long)offset, (long)send, cancellationToken).ConfigureAwait(false);
        FileTransferLog.Sent(_logger, session.Id, name, (long)offset, (long)send, "modern");
        _metrics.SentFile((long)send);
    }

    private List<JailedFile> ClassicFiles()
    {
        var files = new List<JailedFile>();
        foreach (var file in _jail.List())
        {
            if (file.Size > ClassicMaxSize)
            {
                FileTransferLog.LeftOutOfClassicList(_logger, file.Name, "4 GiB or larger: FILEINFO's size is 32-bit");
            }
            else if (!ClassicMessages.FitsNameField(file.Name))
            {
                FileTransferLog.LeftOutOfClassicList(_logger, file.Name, "name of 256 UTF-8 bytes or more: FILEINFO's name is char[256]");
            }
            else if (files.Count == (FileProtocol.MaxListPayload - 4) / FileProtocol.FileInfoSize)
            {
                FileTransferLog.ListTruncated(_logger, files.Count, files.Count + 1);
                break;
            }
            else
            {
                files.Add(file);
            }
        }

        return files;
    }
}
