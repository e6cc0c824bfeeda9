using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// A connection given whole to an <see cref="IConnectionHandler"/>. It counts against the connection limit and
/// takes part in shutdown like any session: a close request cancels the handler's token.
/// </summary>
internal sealed class HandlerSession : Session
{
    private readonly IConnectionHandler _handler;
    private readonly CancellationTokenSource _closing = new();

    public HandlerSession(long id, Socket socket, ServerContext context, IConnectionHandler handler)
        : base(id, socket, context) => _handler = handler;

    /// <summary>Runs the handler to its end. Never throws: every failure becomes a close reason.</summary>
    public async Task RunAsync()
    {
        if (Context.Tls is not null)
        {
            await RunTlsAsync(Context.Tls).ConfigureAwait(false);
            return;
        }

        Open();
        try
        {
            Close(await _handler.HandleAsync(Socket, Id, _closing.Token).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            CloseOnError(e);
        }

        Complete();
        _closing.Dispose();
    }

    /// <summary>The handshake first (a failure is logged and counted by the TLS layer), then the handler on the stream.</summary>
    private async Task RunTlsAsync(Tls.TlsServerLayer tls)
    {
        var stream = await tls.AuthenticateAsync(Socket, Id, RemoteEndPoint, _closing.Token).ConfigureAwait(false);
        if (stream is null)
        {
            Close(IsClosing ? CloseReason : DisconnectReason.TlsHandshakeFailed);
        }
        else
        {
            Open();
            try
            {
                Close(await _handler.HandleTlsAsync(Socket, stream, Id, _closing.Token).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                CloseOnError(TlsSession.SocketCause(e));
            }

            if (SocketErrors.FlushesBeforeClose(CloseReason))
            {
                await TlsSession.SayCloseNotifyAsync(stream).ConfigureAwait(false);
            }
        }

        Complete();
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        _closing.Dispose();
    }

    /// <summary>The handler writes to the socket itself; bytes queued through <see cref="ISession.Send"/> are not used.</summary>
    protected override void ScheduleFlush()
    {
    }

    /// <summary>A handler reads for itself: there is no paused receiver to wake.</summary>
    protected override void WakeReceiver()
    {
    }

    protected override void OnCloseRequested(DisconnectReason reason)
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
