using System.Net;
using Wirekit.Framing;
using Wirekit.Tls;

namespace Wirekit.Echo;

/// <summary>
/// An echo client: sends lines, and reads what comes back as it comes, never assuming the reply is as long as the
/// request (TCP may split or join it, and a server in the style of the classic C examples replies with its whole
/// fixed-size buffer: the text, a NUL, then padding). Sending and receiving are independent, so a receive loop sees
/// at once when the server closes. The client closes first, so TIME_WAIT stays on this side. Over TLS when given a
/// <see cref="ClientTls"/>.
/// </summary>
public sealed class EchoClient : IAsyncDisposable
{
    private const int MaxLineBytes = 64 * 1024;

    private readonly ClientStream _connection;

    private EchoClient(ClientStream connection) => _connection = connection;

    public EndPoint RemoteEndPoint => _connection.Socket.RemoteEndPoint!;

    /// <summary>Connects (and with <paramref name="tls"/>, authenticates the server: a <see cref="ClientTlsException"/> says why not).</summary>
    public static async Task<EchoClient> ConnectAsync(string host, int port, bool noDelay, CancellationToken cancellationToken, ClientTls? tls = null)
        => new(await ClientStream.ConnectAsync(host, port, tls, createSocket: null, noDelay, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Sends <paramref name="payload"/>, one byte per send call when <paramref name="bytewise"/> (the server still
    /// receives bigger pieces: TCP is a byte stream, not messages; over TLS each byte is a record of its own).
    /// </summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, bool bytewise, CancellationToken cancellationToken)
    {
        var step = bytewise ? 1 : Math.Max(1, payload.Length);
        for (var offset = 0; offset < payload.Length; offset += step)
        {
            await _connection.SendAsync(payload.Slice(offset, Math.Min(step, payload.Length - offset)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What the server sends, line by line (ended by <c>\n</c>, <c>\r\n</c> or <c>\0</c>; after a NUL the rest of
    /// that receive is padding and is dropped), cleaned for a terminal, until the server closes the connection.
    /// </summary>
    public IAsyncEnumerable<string> ReceiveRepliesAsync(CancellationToken cancellationToken)
        => new ReceivedLines(MaxLineBytes, "(a reply too long to show was skipped)", dropAfterNul: true).ReadAsync(_connection, cancellationToken);

    /// <summary>Half-closes (TLS close_notify, then FIN): the server sees the end, closes its side, and <see cref="ReceiveRepliesAsync"/> ends.</summary>
    public Task FinishSendingAsync() => _connection.FinishSendingAsync();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
