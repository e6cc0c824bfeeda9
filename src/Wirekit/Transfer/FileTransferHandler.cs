using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Engines;
using Wirekit.Engines.Sessions;
using Wirekit.Logging;
using Wirekit.Metrics;

namespace Wirekit.Transfer;

/// <summary>
/// The file server: answers the seed's classic commands and Wirekit's modern ones on one connection
/// (docs/file-protocol.md). Data leaves by zero-copy sends. Passive: it answers, and after a transfer waits for
/// the client's next command or close, up to <see cref="FileServerOptions.IdleTimeout"/>.
/// </summary>
public sealed partial class FileTransferHandler : IConnectionHandler, IDisposable
{
    private static readonly Func<int, int> RequestBound = static _ => FileProtocol.MaxRequestPayload;

    private readonly FileServerOptions _options;
    private readonly FileRootJail _jail;
    private readonly FileHashCache _hashes = new();
    private readonly byte[]? _token;
    private readonly ILogger _logger;
    private readonly FileServerCounters _counters = new();
    private readonly TokenGuessBackoff _guesses = new();
    private FileMetrics _metrics = FileMetrics.None;
    private IServer? _server;

    // Descriptor exhaustion hits every session at once: one line a second for all of them, with a count.
    private readonly LogThrottle _descriptorLog = new(burst: 1, TimeSpan.FromSeconds(1));

    /// <summary>Checks the root exists; throws <see cref="DirectoryNotFoundException"/> when it does not.</summary>
    public FileTransferHandler(FileServerOptions options, ILoggerFactory? loggers = null)
    {
        _options = options;
        _jail = new FileRootJail(options.Root, options.ShowHidden);
        _token = options.Token is null ? null : Encoding.UTF8.GetBytes(options.Token);
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Wirekit.Transfer.FileServer");
        FileTransferLog.Serving(_logger, _jail.RealRoot, !options.NoClassic, _token is not null, options.ShowHidden);
    }

    /// <summary>The served folder with its links resolved.</summary>
    public string Root => _jail.RealRoot;

    /// <summary>How often each defence acted since the handler was created.</summary>
    internal FileServerCounters Counters => _counters;

    public Task<DisconnectReason> HandleAsync(Socket socket, long sessionId, CancellationToken cancellationToken)
        => ServeAsync(new FrameConnection(socket, RequestBound, judgesTls: true), sessionId, cancellationToken);

    /// <summary>Under TLS the same commands, read and answered through the TLS stream; files go from the page cache (TlsFileSender).</summary>
    public Task<DisconnectReason> HandleTlsAsync(Socket socket, Stream tls, long sessionId, CancellationToken cancellationToken)
        => ServeAsync(new FrameConnection(socket, RequestBound, tls), sessionId, cancellationToken);

    private async Task<DisconnectReason> ServeAsync(FrameConnection frames, long sessionId, CancellationToken cancellationToken)
    {
        using var connection = frames;
        var session = new FileSession(sessionId, connection, authenticated: _token is null, _options.SendTimeout);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                idle.CancelAfter(_options.IdleTimeout);
                var (status, frame) = await connection.ReadFrameAsync(idle.Token).ConfigureAwait(false);
                if (!idle.TryReset())
                {
                    // The timer fired just as the frame completed: treat it as idle, the client can reconnect.
                    FileTransferLog.Idle(_logger, sessionId, _options.IdleTimeout);
                    return DisconnectReason.Timeout;
                }

                if (status == FrameReadStatus.EndOfStream)
                {
                    FileTransferLog.Ended(_logger, sessionId, "peer closed");
                    return DisconnectReason.PeerClosed;
                }

                if (status == FrameReadStatus.Frame)
                {
                    _server?.MarkEstablished(sessionId); // a complete header: the handshake deadline is met (a look-up per request)
                }

                if (status == FrameReadStatus.TlsClientHello)
                {
                    // Logged, counted and closed by the engine, as on every plaintext server; no CMD_ERROR a TLS client cannot read.
                    (_server as ServerBase)?.RefuseTlsOnPlaintext(sessionId);
                    return DisconnectReason.ClosedByService;
                }

                if (status == FrameReadStatus.TooLarge)
                {
                    FileTransferLog.TooLarge(_logger, sessionId, frame.Code);
                    _metrics.Request(frame.Code, "error");
                    await SendErrorAsync(session, FileErrorCode.TooLarge, "a request's size must be 0..65536", cancellationToken).ConfigureAwait(false);
                    return DisconnectReason.ClosedByService;
                }

                await DispatchAsync(session, frame, cancellationToken).ConfigureAwait(false);
                if (session.Ending)
                {
                    return DisconnectReason.ClosedByService;
                }
            }
        }
        catch (SendCutOffException e) when (e.Verdict == SendVerdict.Stalled)
        {
            _counters.Count(FileServerEvent.SendTimeout);
            FileTransferLog.SendStalled(_logger, sessionId, _options.SendTimeout);
            return DisconnectReason.Timeout;
        }
        catch (SendCutOffException e)
        {
            _counters.Count(FileServerEvent.FileChanged);
            FileTransferLog.FileChanged(_logger, sessionId, e.File!.Name, e.File.Size, e.File.LastWriteUtc);
            return DisconnectReason.Aborted;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            FileTransferLog.Idle(_logger, sessionId, _options.IdleTimeout);
            return DisconnectReason.Timeout;
        }
        catch (OperationCanceledException)
        {
            FileTransferLog.Ended(_logger, sessionId, "server stopping");
            return DisconnectReason.ServerShutdown;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            FileTransferLog.Ended(_logger, sessionId, e.Message);
            return SocketErrors.Classify(e is IOException { InnerException: SocketException inner } ? inner : e);
        }
        catch (Exception e)
        {
            FileTransferLog.Failed(_logger, sessionId, e);
            return DisconnectReason.Error;
        }
    }

    public void Dispose() => _hashes.Dispose();

    private async ValueTask DispatchAsync(FileSession session, FileFrame frame, CancellationToken cancellationToken)
    {
        // Every error reply goes through SendErrorAsync, which counts it: more errors after than before is an error result.
        var errors = session.Errors;
        var result = "failed";
        try
        {
            await DispatchCommandAsync(session, frame, cancellationToken).ConfigureAwait(false);
            result = "ok";
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            // Listing the folder, opening or hashing a file: the disk's or the descriptor table's trouble, never the client's,
            // so the client gets an answer and the connection stays usable.
            await SendReadFailureAsync(session, e, cancellationToken).ConfigureAwait(false);
            result = "ok";
        }
        finally
        {
            _metrics.Request(frame.Code, session.Errors > errors ? "error" : result);
        }
    }

    /// <summary>IoError for a file that cannot be read; Busy ("try again") when the server is out of file descriptors.</summary>
    private async ValueTask SendReadFailureAsync(FileSession session, IOException failure, CancellationToken cancellationToken)
    {
        if (DiskErrors.IsOutOfDescriptors(failure))
        {
            if (_descriptorLog.TryPass(out var suppressed))
            {
                FileTransferLog.OutOfDescriptors(_logger, session.Id, failure.Message, suppressed);
            }

            _counters.Count(FileServerEvent.Busy);
            await SendErrorAsync(session, FileErrorCode.Busy, "server busy (out of file descriptors), try again", cancellationToken, logged: true).ConfigureAwait(false);
            return;
        }

        FileTransferLog.ReadFailed(_logger, session.Id, failure.Message);
        await SendErrorAsync(session, FileErrorCode.IoError, "the server could not read it", cancellationToken, logged: true).ConfigureAwait(false);
    }

    private async ValueTask DispatchCommandAsync(FileSession session, FileFrame frame, CancellationToken cancellationToken)
    {
        switch ((FileCommandCode)frame.Code)
        {
            case FileCommandCode.GetList or FileCommandCode.GetFile when _options.NoClassic:
                await SendErrorAsync(session, FileErrorCode.ClassicDisabled, "this server does not serve the classic commands", cancellationToken).ConfigureAwait(false);
                break;
            case FileCommandCode.GetList:
                await SendClassicListAsync(session, cancellationToken).ConfigureAwait(false);
                break;
            case FileCommandCode.GetFile:
                await SendClassicFileAsync(session, frame, cancellationToken).ConfigureAwait(false);
                break;
            case FileCommandCode.Auth:
                await AuthenticateAsync(session, frame, cancellationToken).ConfigureAwait(false);
                break;
            case FileCommandCode.List or FileCommandCode.Get when !session.Authenticated:
                await SendErrorAsync(session, FileErrorCode.Unauthorized, "this server requires CMD_AUTH with its token first", cancellationToken).ConfigureAwait(false);
                break;
            case FileCommandCode.List:
                await SendModernListAsync(session, cancellationToken).ConfigureAwait(false);
                break;
            case FileCommandCode.Get:
                await SendModernFileAsync(session, frame, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await SendErrorAsync(session, FileErrorCode.UnknownCommand, $"unknown command code {frame.Code}", cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>CMD_AUTH, with guessing slowed per address (<see cref="TokenGuessBackoff"/>) and cut off per connection.</summary>
    private async ValueTask AuthenticateAsync(FileSession session, FileFrame frame, CancellationToken cancellationToken)
    {
        if (_token is not null && _guesses.BlockedFor(session.Address) is var wait && wait > TimeSpan.Zero)
        {
            _counters.Count(FileServerEvent.TokenGuessBlocked);
            session.Ending = true;
            await SendErrorAsync(session, FileErrorCode.Unauthorized, $"too many wrong tokens from {session.Address}; try again in {Math.Ceiling(wait.TotalSeconds)} s", cancellationToken).ConfigureAwait(false);
            return;
        }

        var offered = frame.Payload.ToArray();
        if (_token is not null && !CryptographicOperations.FixedTimeEquals(offered, _token))
        {
            _guesses.Failed(session.Address);
            if (++session.WrongTokens >= TokenGuessBackoff.FreeGuesses)
            {
                session.Ending = true;
                _counters.Count(FileServerEvent.TokenGuessesClosed);
                FileTransferLog.TokenGuesses(_logger, session.Id, session.WrongTokens, session.Address, _guesses.BlockedFor(session.Address));
            }

            await SendErrorAsync(session, FileErrorCode.Unauthorized, "wrong token", cancellationToken).ConfigureAwait(false);
            return;
        }

        _guesses.Succeeded(session.Address);
        await session.SendAsync(ClassicMessages.FormatRequest(FileCommandCode.AuthOk), cancellationToken).ConfigureAwait(false);
        session.Authenticated = true;
    }

    /// <summary>
    /// CMD_ERROR, logged through the session's throttle; the <see cref="FileServerOptions.MaxErrorsPerConnection"/>th
    /// ends the session after it is sent.
    /// </summary>
    private async ValueTask SendErrorAsync(FileSession session, FileErrorCode code, string reason, CancellationToken cancellationToken, bool logged = false)
    {
        if (!logged && session.RefusalLog.TryPass(out var suppressed))
        {
            if (suppressed > 0)
            {
                FileTransferLog.RefusalsSuppressed(_logger, session.Id, suppressed);
            }

            FileTransferLog.Refused(_logger, session.Id, code, reason);
        }

        await session.SendAsync(ClassicMessages.FormatError(code, reason), cancellationToken).ConfigureAwait(false);
        if (++session.Errors >= _options.MaxErrorsPerConnection && !session.Ending)
        {
            session.Ending = true;
            _counters.Count(FileServerEvent.TooManyErrors);
            FileTransferLog.TooManyErrors(_logger, session.Id, session.Errors);
        }
    }
}
