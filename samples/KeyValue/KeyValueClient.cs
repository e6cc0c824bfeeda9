using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirekit.Samples.KeyValue;

/// <summary>A client for <see cref="KeyValueService"/>: one request, one response, in order, over one connection.</summary>
public sealed class KeyValueClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _header = new byte[Frame.HeaderSize];

    private KeyValueClient(Socket socket) => _socket = socket;

    public static async Task<KeyValueClient> ConnectAsync(IPEndPoint server, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            return new KeyValueClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (keyBytes.Length > byte.MaxValue)
        {
            throw new ArgumentException("a key is at most 255 bytes of UTF-8", nameof(key));
        }

        return ExpectAsync(RequestAsync([(byte)'S', (byte)keyBytes.Length, .. keyBytes, .. value.Span], cancellationToken), KeyValueService.Status.Ok);
    }

    /// <summary>The value stored under <paramref name="key"/>, or null when there is none.</summary>
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var (status, body) = await RequestAsync([(byte)'G', .. Encoding.UTF8.GetBytes(key)], cancellationToken).ConfigureAwait(false);
        return status switch
        {
            KeyValueService.Status.Ok => body,
            KeyValueService.Status.NotFound => null,
            _ => throw new InvalidDataException(Encoding.UTF8.GetString(body)),
        };
    }

    /// <summary>True when a value was there to delete.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var (status, body) = await RequestAsync([(byte)'D', .. Encoding.UTF8.GetBytes(key)], cancellationToken).ConfigureAwait(false);
        return status == KeyValueService.Status.Ok
            || (status == KeyValueService.Status.NotFound ? false : throw new InvalidDataException(Encoding.UTF8.GetString(body)));
    }

    /// <summary>Sends one framed request and reads the framed response: header first, then exactly the length it declares.</summary>
    public async Task<(KeyValueService.Status Status, byte[] Body)> RequestAsync(byte[] payload, CancellationToken cancellationToken = default)
    {
        var frame = new byte[Frame.HeaderSize + payload.Length];
        Frame.WriteHeader(frame, payload.Length);
        payload.CopyTo(frame, Frame.HeaderSize);
        await _socket.SendAsync(frame, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        await ReceiveExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
        if (!Frame.TryReadLength(_header, out var length) || length < 1)
        {
            throw new InvalidDataException("the server's response header is not a valid frame");
        }

        var response = new byte[length];
        await ReceiveExactlyAsync(response, cancellationToken).ConfigureAwait(false);
        return ((KeyValueService.Status)response[0], response[1..]);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ExpectAsync(Task<(KeyValueService.Status Status, byte[] Body)> request, KeyValueService.Status expected)
    {
        var (status, body) = await request.ConfigureAwait(false);
        if (status != expected)
        {
            throw new InvalidDataException($"{status}: {Encoding.UTF8.GetString(body)}");
        }
    }

    private async Task ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new EndOfStreamException("the server closed the connection");
            }

            buffer = buffer[received..];
        }
    }
}
