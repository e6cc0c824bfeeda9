using System.Net.Security;
using System.Net.Sockets;

namespace Wirekit.Tls;

/// <summary>
/// A client's connection: the connected socket, with an authenticated <see cref="SslStream"/> over it when TLS was
/// asked for. Without TLS every receive and send goes straight to the socket (one null check, no stream in
/// between), so the plaintext path costs what it did before TLS existed. Owns the socket.
/// </summary>
internal sealed class ClientStream : IAsyncDisposable, IDisposable
{
    private ClientStream(Socket socket, SslStream? tls)
    {
        Socket = socket;
        Tls = tls;
    }

    public Socket Socket { get; }

    /// <summary>The TLS layer, or null for plaintext.</summary>
    public SslStream? Tls { get; }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> and, with <paramref name="tls"/>, runs the
    /// handshake. Connect failures are <see cref="SocketException"/>s, TLS failures <see cref="ClientTlsException"/>s.
    /// </summary>
    public static async Task<ClientStream> ConnectAsync(string host, int port, ClientTls? tls, Func<Socket>? createSocket, bool noDelay, CancellationToken cancellationToken)
    {
        var socket = createSocket?.Invoke() ?? new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = noDelay;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await OverAsync(socket, host, tls, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wraps an already connected socket, running the handshake when <paramref name="tls"/> is set; disposes the socket if that fails.</summary>
    public static async Task<ClientStream> OverAsync(Socket socket, string host, ClientTls? tls, CancellationToken cancellationToken)
    {
        if (tls is null)
        {
            return new ClientStream(socket, null);
        }

        try
        {
            return new ClientStream(socket, await tls.AuthenticateAsync(socket, host, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        => Tls is null ? Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) : Tls.ReadAsync(buffer, cancellationToken);

    /// <summary>A blocking receive, bounded by the socket's ReceiveTimeout either way.</summary>
    public int Receive(Span<byte> buffer) => Tls is null ? Socket.Receive(buffer, SocketFlags.None) : Tls.Read(buffer);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Tls is not null)
        {
            await Tls.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!data.IsEmpty)
        {
            data = data[await Socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }
    }

    /// <summary>
    /// Ends our direction: TLS close_notify first (so the peer knows the end is real, not a truncation), then FIN.
    /// The peer then closes its side and a receive returns 0.
    /// </summary>
    public async Task FinishSendingAsync()
    {
        try
        {
            if (Tls is not null)
            {
                await Tls.ShutdownAsync().ConfigureAwait(false);
            }

            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // Already broken or closed: there is nothing left to end.
        }
    }

    public void Dispose()
    {
        Tls?.Dispose();
        Socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
