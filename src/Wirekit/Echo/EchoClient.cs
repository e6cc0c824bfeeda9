using System.Net;
using System.Net.Sockets;

namespace Wirekit.Echo;

/// <summary>
/// The seed's echo client: send a message, read back as many bytes as were sent. Reads loop until the whole echo
/// is in, because TCP may hand it over in pieces (send/recv are not 1:1). Closes first, so TIME_WAIT stays here.
/// </summary>
public sealed class EchoClient : IAsyncDisposable
{
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
    /// Sends <paramref name="payload"/> (one byte per send call when <paramref name="bytewise"/>, the seed's
    /// experiment) and returns the echo, byte for byte.
    /// </summary>
    public async Task<byte[]> RoundTripAsync(ReadOnlyMemory<byte> payload, bool bytewise, CancellationToken cancellationToken)
    {
        var echo = new byte[payload.Length];
        var receive = ReceiveExactlyAsync(echo, cancellationToken);
        var step = bytewise ? 1 : payload.Length;
        for (var offset = 0; offset < payload.Length; offset += step)
        {
            var chunk = payload.Slice(offset, Math.Min(step, payload.Length - offset));
            while (!chunk.IsEmpty)
            {
                chunk = chunk[await _socket.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
            }
        }

        await receive.ConfigureAwait(false);
        return echo;
    }

    /// <summary>Half-closes (FIN), then waits for the server's FIN: the graceful end the seed's protocol asks for.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _socket.Shutdown(SocketShutdown.Send);
        var sink = new byte[256];
        while (await _socket.ReceiveAsync(sink, SocketFlags.None, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new EndOfStreamException("the server closed the connection before echoing everything");
            }

            buffer = buffer[received..];
        }
    }
}
