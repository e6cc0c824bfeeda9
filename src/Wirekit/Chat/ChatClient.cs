using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Framing;

namespace Wirekit.Chat;

/// <summary>
/// The seed's chat client, minus its fixed 128-byte buffer: lines out with <c>\n</c>, lines in framed properly (a
/// receive may hold half a line or ten). Receiving and sending are independent, so a receive loop can run while the
/// user types. The client closes first (FIN, then wait for the server's), so TIME_WAIT stays on this side.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private const int MaxLineBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private ChatClient(Socket socket) => _socket = socket;

    public EndPoint RemoteEndPoint => _socket.RemoteEndPoint!;

    public static async Task<ChatClient> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new ChatClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one line; safe to call from several tasks (whole lines never interleave).</summary>
    public async Task SendLineAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var remaining = bytes.AsMemory();
            while (!remaining.IsEmpty)
            {
                remaining = remaining[await _socket.SendAsync(remaining, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
            }
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
        => new ReceivedLines(MaxLineBytes, ChatWording.NoticePrefix + "(a line too long to show was skipped)", dropAfterNul: false).ReadAsync(_socket, cancellationToken);

    /// <summary>Half-closes: the server sees end of input, flushes what it owes, and closes its side.</summary>
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
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
