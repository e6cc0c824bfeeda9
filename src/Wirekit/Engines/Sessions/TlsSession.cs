using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// A byte-stream session under TLS, the same on every engine that carries TLS: the handshake, then a receive loop
/// reading decrypted bytes from the <see cref="SslStream"/> and a send loop for bytes queued from other threads,
/// both awaiting it. The async engine runs it as a task (no pool thread ever blocks on a handshake); the blocking
/// engines run it to its end on the session's own thread (threads) or the accept thread (iterative). The service
/// sees plain bytes, as on a plaintext session. Plaintext sessions never come here, so their paths are unchanged.
/// </summary>
internal sealed class TlsSession : Session, ISession
{
    // A TLS record carries at most 16 KiB of plaintext (RFC 8446 §5.1): one record per read.
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly AsyncSignal _flushRequested = new();
    private readonly AsyncSignal _drained = new();
    private readonly CancellationTokenSource _closing = new();

    public TlsSession(long id, Socket socket, ServerContext context)
        : base(id, socket, context)
    {
    }

    /// <summary>The client's certificate, once a mutual-TLS handshake accepted it.</summary>
    public X509Certificate2? PeerCertificate { get; private set; }

    /// <summary>Runs the session to its end. Never throws: every failure becomes a close reason.</summary>
    public async Task RunAsync()
    {
        var stream = await Context.Tls!.AuthenticateAsync(Socket, Id, RemoteEndPoint, _closing.Token).ConfigureAwait(false);
        if (stream is null)
        {
            Close(IsClosing ? CloseReason : DisconnectReason.TlsHandshakeFailed);
            Complete();
            _closing.Dispose();
            return;
        }

        PeerCertificate = stream.RemoteCertificate as X509Certificate2;
        Open();
        var sendLoop = SendLoopAsync(stream);
        try
        {
            await ReceiveLoopAsync(stream).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CloseOnError(SocketCause(e));
        }

        Close(DisconnectReason.PeerClosed);
        _flushRequested.Set();
        await sendLoop.ConfigureAwait(false);
        if (SocketErrors.FlushesBeforeClose(CloseReason))
        {
            await SayCloseNotifyAsync(stream).ConfigureAwait(false);
        }

        Complete();
        await stream.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    protected override void ScheduleFlush() => _flushRequested.Set();

    protected override void WakeReceiver() => _drained.Set();

    protected override void OnCloseRequested(DisconnectReason reason)
    {
        try
        {
            // Ends a handshake in progress; after it, the default below ends the loops.
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        base.OnCloseRequested(reason);
    }

    /// <summary>SslStream wraps the socket's errors in IOException; the session's reason comes from the socket's.</summary>
    internal static Exception SocketCause(Exception e) => e is IOException { InnerException: SocketException inner } ? inner : e;

    private async Task ReceiveLoopAsync(SslStream stream)
    {
        while (!IsClosing)
        {
            int received;
            var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            try
            {
                received = await stream.ReadAsync(buffer.AsMemory(0, ReceiveBufferSize)).ConfigureAwait(false);
                if (received > 0)
                {
                    Deliver(buffer.AsSpan(0, received));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (received == 0)
            {
                return;
            }

            if (Outbound.Count > 0 && Outbound.TryAcquireFlush())
            {
                await FlushAsync(stream).ConfigureAwait(false);
            }

            // Another thread's flush may hold the gate (a broadcast, say): wait for the peer to take its bytes.
            if (ShouldPauseReceiving && EnterPause())
            {
                await _drained.WaitAsync().ConfigureAwait(false);
                LeavePause();
            }
        }
    }

    private async Task SendLoopAsync(SslStream stream)
    {
        while (true)
        {
            await _flushRequested.WaitAsync().ConfigureAwait(false);
            if (IsClosing)
            {
                break;
            }

            // If the gate is taken, its holder re-checks the queue when it lets go, so nothing waits unsent.
            if (Outbound.TryAcquireFlush())
            {
                await FlushAsync(stream).ConfigureAwait(false);
            }
        }

        // The receive loop has ended, and its inline flush with it: the gate is free unless a send failed.
        if (OwesFinalFlush && Outbound.TryAcquireFlush())
        {
            await FlushAsync(stream).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Encrypts and sends what is queued, a chunk per write (SslStream cuts it into records), until the queue is empty.
    /// The caller holds the flush gate; it is released as <see cref="Session.FlushQueued"/> releases it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync(SslStream stream)
    {
        do
        {
            while (Outbound.TryPeek(out var segment))
            {
                try
                {
                    await stream.WriteAsync(segment.AsMemory()).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    FailSend(SocketCause(e));
                    return;
                }

                Sent(segment.Count);
            }
        }
        while (Outbound.ReleaseFlush());
    }

    /// <summary>A graceful end says so in TLS too (close_notify), so the client can tell it from a cut connection.</summary>
    internal static async ValueTask SayCloseNotifyAsync(SslStream stream)
    {
        try
        {
            await stream.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
