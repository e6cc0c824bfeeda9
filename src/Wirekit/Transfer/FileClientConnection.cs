using System.Net.Sockets;
using Wirekit.Tls;

namespace Wirekit.Transfer;

/// <summary>
/// One client connection: connect (and with <see cref="FileClientOptions.Tls"/> the TLS handshake, each parallel
/// range connection its own), optional CMD_AUTH, request/reply with CMD_ERROR turned into an exception.
/// </summary>
internal sealed class FileClientConnection : IDisposable
{
    private readonly ClientStream _connection;
    private readonly TimeSpan _timeout;
    private readonly string _server;

    private FileClientConnection(ClientStream connection, TimeSpan timeout, string server)
    {
        _connection = connection;
        _timeout = timeout;
        _server = server;
        // Bounds every blocking receive of file data (RangeReceiver), through TLS too; the async header reads use a token instead.
        connection.Socket.ReceiveTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        Frames = new FrameConnection(connection.Socket, FileProtocol.MaxReplyPayloadFor, connection.Tls);
    }

    public FrameConnection Frames { get; }

    public TimeSpan Timeout => _timeout;

    public static async Task<FileClientConnection> ConnectAsync(FileClientOptions options, CancellationToken cancellationToken)
    {
        ClientStream stream;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.Timeout);
            stream = await ClientStream.ConnectAsync(options.Host, options.Port, options.Tls, options.SocketFactory, noDelay: true, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FileTransferException($"could not connect to {options.Host}:{options.Port} within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            throw new FileTransferException($"could not connect to {options.Host}:{options.Port}: {LowerFirst(e.Message)}", inner: e);
        }
        catch (ClientTlsException e)
        {
            throw TlsFailure(e);
        }

        var connection = new FileClientConnection(stream, options.Timeout, $"{options.Host}:{options.Port}");
        if (options.Token is not null && !options.Classic)
        {
            try
            {
                await connection.RequestAsync(ModernMessages.FormatAuth(options.Token), FileCommandCode.AuthOk, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        return connection;
    }

    /// <summary>Sends a request and reads the reply frame, which must carry <paramref name="expected"/>. The payload is valid until the next read.</summary>
    public async Task<FileFrame> RequestAsync(byte[] request, FileCommandCode expected, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            await Frames.SendAsync(request, limit.Token).ConfigureAwait(false);
            var (status, frame) = await Frames.ReadFrameAsync(limit.Token).ConfigureAwait(false);
            switch (status)
            {
                case FrameReadStatus.EndOfStream:
                    throw new FileTransferException($"{_server} closed the connection without answering");
                case FrameReadStatus.TooLarge when !Enum.IsDefined((FileCommandCode)frame.Code):
                    throw NotAFileServer();
                case FrameReadStatus.TooLarge:
                    throw new FileTransferException($"{_server}: the server's reply (code {frame.Code}) claims a size beyond its bound; not trusting it");
            }

            if (frame.Code == (int)FileCommandCode.Error)
            {
                var (code, description) = ClassicMessages.ParseError(frame.Payload);
                throw new FileTransferException($"{_server} refused: {description} ({code})", code);
            }

            if (frame.Code != (int)expected)
            {
                throw Enum.IsDefined((FileCommandCode)frame.Code)
                    ? new FileTransferException($"{_server}: expected reply {expected} ({(int)expected}), got {(FileCommandCode)frame.Code} ({frame.Code})")
                    : NotAFileServer();
            }

            return frame;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FileTransferException($"{_server}: no reply within {_timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is SocketException or EndOfStreamException)
        {
            throw new FileTransferException($"{_server}: connection lost: {e.Message}", inner: e);
        }
        catch (ClientTlsException e)
        {
            throw TlsFailure(e); // a refused client certificate shows on the first reply
        }
    }

    /// <summary>The TLS failure's own line, kept inside so a front end can word the remedy from its <see cref="ClientTlsException.Failure"/>.</summary>
    private static FileTransferException TlsFailure(ClientTlsException e) => new(e.Message, inner: e);

    /// <summary>A peer whose first bytes are no reply code at all: another service on this port.</summary>
    private FileTransferException NotAFileServer()
        => new($"{_server} is not a Wirekit file server (it answered \"{Frames.LastReceivedAsText(40)}\")");

    private static string LowerFirst(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    public void Dispose()
    {
        _connection.Dispose();
        Frames.Dispose();
    }
}
