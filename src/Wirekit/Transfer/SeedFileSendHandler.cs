using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Engines;

namespace Wirekit.Transfer;

/// <summary>The seed's two protocol-less senders, kept for comparison with the real protocol.</summary>
public enum SeedSendMode
{
    /// <summary>FileSender: the file's bytes on connect, then the server closes (`nc 127.0.0.1 25002 > out` receives it).</summary>
    Raw,

    /// <summary>The TransmitFile program: MY_FILE_DATA { char name[256]; uint32 size } first, then the bytes; the client closes.</summary>
    Transmit,
}

/// <summary>
/// Pushes one file to every client that connects, as the seed's early programs did (no request, no hash). The data
/// still leaves by zero-copy sends. Transmit mode stays passive after the data: it waits for the client to close
/// (the seed's <c>recv(hClient, NULL, 0, 0)</c>), up to the idle timeout.
/// </summary>
public sealed class SeedFileSendHandler : IConnectionHandler
{
    /// <summary>sizeof(MY_FILE_DATA): char name[256] + uint32 size.</summary>
    public const int TransmitHeaderSize = FileProtocol.ClassicNameField + 4;

    private readonly string _path;
    private readonly SeedSendMode _mode;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;

    /// <summary>Checks the file exists and, for Transmit, that MY_FILE_DATA can describe it (&lt; 4 GiB, name &lt; 256 bytes).</summary>
    public SeedFileSendHandler(string path, SeedSendMode mode, TimeSpan idleTimeout, ILoggerFactory? loggers = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"no file '{path}'", path);
        }

        if (mode == SeedSendMode.Transmit && (info.Length > uint.MaxValue || !ClassicMessages.FitsNameField(info.Name)))
        {
            throw new ArgumentException($"the transmit header cannot describe '{info.Name}': it needs a size under 4 GiB and a name under 256 UTF-8 bytes", nameof(path));
        }

        _path = info.FullName;
        _mode = mode;
        _idleTimeout = idleTimeout;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Wirekit.Transfer.SeedSender");
    }

    public async Task<DisconnectReason> HandleAsync(Socket socket, long sessionId, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        var length = file.Length;
        var prefix = _mode == SeedSendMode.Transmit ? FormatFileData(Path.GetFileName(_path), (uint)length) : [];
        await ZeroCopySender.SendAsync(socket, prefix, file, 0, length, cancellationToken).ConfigureAwait(false);
        FileTransferLog.Sent(_logger, sessionId, Path.GetFileName(_path), 0, length, _mode.ToString().ToLowerInvariant());
        if (_mode == SeedSendMode.Raw)
        {
            // The end of the stream is the only end-of-file marker this mode has.
            socket.Shutdown(SocketShutdown.Send);
            return DisconnectReason.ClosedByService;
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idleTimeout);
        var sink = new byte[256];
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, idle.Token).ConfigureAwait(false) > 0)
            {
                // Anything the client sends is ignored; only its close matters.
            }

            return DisconnectReason.PeerClosed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            FileTransferLog.Idle(_logger, sessionId, _idleTimeout);
            return DisconnectReason.Timeout;
        }
    }

    /// <summary>MY_FILE_DATA: the name NUL-padded to 256 bytes, then the size.</summary>
    internal static byte[] FormatFileData(string name, uint size)
    {
        var header = new byte[TransmitHeaderSize];
        // FILEINFO minus its leading index is exactly MY_FILE_DATA, so reuse its writer.
        var fileInfo = new byte[FileProtocol.FileInfoSize];
        ClassicMessages.WriteFileInfo(fileInfo, 0, name, size);
        fileInfo.AsSpan(4).CopyTo(header);
        return header;
    }
}
