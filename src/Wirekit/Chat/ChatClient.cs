using System.Net;
using System.Text;
using Wirekit.Framing;
using Wirekit.Tls;

namespace Wirekit.Chat;

/// <summary>
/// The seed's chat client, minus its fixed 128-byte buffer: lines out with <c>\n</c>, lines in framed properly (a
/// receive may hold half a line or ten). Receiving and sending are independent, so a receive loop can run while the
/// user types. The client closes first (FIN, then wait for the server's), so TIME_WAIT stays on this side. Over TLS
/// when given a <see cref="ClientTls"/>.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private const int MaxLineBytes = 64 * 1024;

    private readonly ClientStream _connection;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private ChatClient(ClientStream connection) => _connection = connection;

    public EndPoint RemoteEndPoint => _connection.Socket.RemoteEndPoint!;

    /// <summary>Connects (and with <paramref name="tls"/>, authenticates the server: a <see cref="ClientTlsException"/> says why not).</summary>
    public static async Task<ChatClient> ConnectAsync(string host, int port, CancellationToken cancellationToken, ClientTls? tls = null)
        => new(await ClientStream.ConnectAsync(host, port, tls, createSocket: null, noDelay: true, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends one line; safe to call from several tasks (whole lines never interleave).</summary>
    public async Task SendLineAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _connection.SendAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Lines from the server until it closes the connection, cleaned for a terminal. <c>\n</c>, <c>\r\n</c>, <c>\0</c>
    /// and <c>\n\0</c> each end one line (a server relaying newline text to NUL-style clients sends the last).
    /// </summary>
    public IAsyncEnumerable<string> ReceiveLinesAsync(CancellationToken cancellationToken)
        => new ReceivedLines(MaxLineBytes, ChatWording.NoticePrefix + "(a line too long to show was skipped)", dropAfterNul: false).ReadAsync(_connection, cancellationToken);

    /// <summary>Half-closes (TLS close_notify, then FIN): the server sees end of input, flushes what it owes, and closes its side.</summary>
    public async Task FinishSendingAsync()
    {
        // Not while a line is half sent: close_notify in the middle of a TLS record would cut it.
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _connection.FinishSendingAsync().ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _sendLock.Dispose();
    }
}
