using System.Net;
using System.Net.Sockets;
using Wirekit.Framing;

namespace Wirekit.Echo;

/// <summary>
/// An echo client: sends lines, and reads what comes back as it comes, never assuming the reply is as long as the
/// request (TCP may split or join it, and a server in the style of the classic C examples replies with its whole
/// fixed-size buffer: the text, a NUL, then padding). Sending and receiving are independent, so a receive loop sees
/// at once when the server closes. The client closes first, so TIME_WAIT stays on this side.
/// </summary>
public sealed class EchoClient : IAsyncDisposable
{
    private const int MaxLineBytes = 64 * 1024;

    private readonly Socket _socket;

    private EchoClient(Socket socket) => _socket = socket;

    public EndPoint RemoteEndPoint => _socket.RemoteEndPoint!;

    public static async Task<EchoClient> ConnectAsync(string host, int port, bool noDelay, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = noDelay };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new EchoClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="payload"/>, one byte per send call when <paramref name="bytewise"/> (the server still
    /// receives bigger pieces: TCP is a byte stream, not messages).
    /// </summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, bool bytewise, CancellationToken cancellationToken)
    {
        var step = bytewise ? 1 : Math.Max(1, payload.Length);
        for (var offset = 0; offset < payload.Length; offset += step)
        {
            var chunk = payload.Slice(offset, Math.Min(step, payload.Length - offset));
            while (!chunk.IsEmpty)
            {
                chunk = chunk[await _socket.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
            }
        }
    }

    /// <summary>
    /// What the server sends, line by line (ended by <c>\n</c>, <c>\r\n</c> or <c>\0</c>; after a NUL the rest of
    /// that receive is padding and is dropped), cleaned for a terminal, until the server closes the connection.
    /// </summary>
    public IAsyncEnumerable<string> ReceiveRepliesAsync(CancellationToken cancellationToken)
        => new ReceivedLines(MaxLineBytes, "(a reply too long to show was skipped)", dropAfterNul: true).ReadAsync(_socket, cancellationToken);

    /// <summary>Half-closes (FIN): the server sees the end, closes its side, and <see cref="ReceiveRepliesAsync"/> ends.</summary>
    public void FinishSending()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
