using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// What every engine's session shares: identity, the bounded outgoing queue, close-once with a recorded reason,
/// and the rule for who flushes. An engine subclass supplies only how a flush is scheduled from another thread and
/// how a close request wakes its loops.
/// </summary>
internal abstract class Session : ISession
{
    private const int NotClosing = -1;

    private int _closeReason = NotClosing;
    private int _callbackThreadId;

    protected Session(long id, Socket socket, ServerContext context)
    {
        Id = id;
        Socket = socket;
        Context = context;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        Outbound = new OutboundQueue(context.Options.MaxQueuedBytes);
    }

    public long Id { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public object? State { get; set; }

    public int QueuedBytes => Outbound.Count;

    internal Socket Socket { get; }

    internal OutboundQueue Outbound { get; }

    protected ServerContext Context { get; }

    protected bool IsClosing => Volatile.Read(ref _closeReason) != NotClosing;

    protected DisconnectReason CloseReason => (DisconnectReason)Volatile.Read(ref _closeReason);

    /// <summary>True while reading should wait: the peer is not taking what we already owe it.</summary>
    protected bool ShouldPauseReceiving => Outbound.Count >= Context.Options.ReceivePauseThreshold;

    public bool Send(ReadOnlySpan<byte> data)
    {
        switch (Outbound.Enqueue(data))
        {
            case EnqueueResult.Overflow:
                Close(DisconnectReason.SlowConsumer);
                return false;
            case EnqueueResult.Closed:
                return false;
        }

        // Inside this session's own receive callback the engine flushes right after the callback returns,
        // on the same thread and without a hand-off; from anywhere else the engine must be told.
        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _callbackThreadId))
        {
            ScheduleFlush();
        }

        return true;
    }

    public void Close(DisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, NotClosing) == NotClosing)
        {
            OnCloseRequested(reason);
        }
    }

    /// <summary>Starts the session: the service greets it. Runs before the first receive.</summary>
    internal void Open()
    {
        SessionLog.Connected(Context.Logger, Id, RemoteEndPoint);
        Invoke(static (service, session, _) => service.OnConnected(session), ReadOnlySpan<byte>.Empty);
        if (Outbound.Count > 0)
        {
            ScheduleFlush();
        }
    }

    /// <summary>Hands received bytes to the service, on the engine's receive thread.</summary>
    internal void Deliver(ReadOnlySpan<byte> data)
    {
        if (Context.Options.TraceReceives)
        {
            SessionLog.Received(Context.Logger, Id, data.Length);
        }

        Invoke(static (service, session, bytes) => service.OnReceived(session, bytes), data);
    }

    /// <summary>Ends the session once its loops are done: frees the queue, closes the socket, tells the service.</summary>
    internal void Complete()
    {
        Close(DisconnectReason.PeerClosed);
        var reason = CloseReason;
        if (SocketErrors.FlushesBeforeClose(reason))
        {
            // FIN after the last byte; the peer, not us, then holds TIME_WAIT when it closed first.
            TryShutdownSend();
        }
        else
        {
            // An abortive close (RST) for dead, flooding or stalled peers: nothing more is owed to them.
            TrySetAbortiveLinger();
        }

        Socket.Dispose();
        Outbound.Dispose();
        Context.Registry.Remove(this);
        if (reason is DisconnectReason.PeerClosed or DisconnectReason.ServerShutdown or DisconnectReason.ClosedByService)
        {
            SessionLog.Closed(Context.Logger, Id, RemoteEndPoint, reason);
        }
        else
        {
            SessionLog.ClosedAbnormally(Context.Logger, Id, RemoteEndPoint, reason);
        }

        try
        {
            Context.Service?.OnDisconnected(this, reason);
        }
        catch (Exception e)
        {
            SessionLog.ServiceFailed(Context.Logger, Id, e);
        }
    }

    /// <summary>Closes at once, without flushing: shutdown's last resort for peers that will not take their bytes.</summary>
    internal void Abort()
    {
        Close(DisconnectReason.ServerShutdown);
        TrySetAbortiveLinger();
        Socket.Dispose();
    }

    /// <summary>Another thread queued bytes: get them flushed without blocking that thread.</summary>
    protected abstract void ScheduleFlush();

    /// <summary>The first close request arrived: wake whatever loop waits so the session can wind down.</summary>
    protected abstract void OnCloseRequested(DisconnectReason reason);

    /// <summary>Records why a loop ended on an exception; expected network errors are not logged as errors.</summary>
    protected void CloseOnError(Exception exception)
    {
        var reason = SocketErrors.Classify(exception);
        if (reason == DisconnectReason.Error && !IsClosing)
        {
            SessionLog.Failed(Context.Logger, Id, RemoteEndPoint, exception);
        }

        Close(IsClosing ? CloseReason : reason);
    }

    protected void TryShutdownReceive()
    {
        try
        {
            // Wakes a receive that is waiting (Linux returns 0 from recv after SHUT_RD) without sending anything.
            Socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void TryShutdownSend()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void TrySetAbortiveLinger()
    {
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void Invoke(ServiceCall call, ReadOnlySpan<byte> data)
    {
        var service = Context.Service;
        if (service is null)
        {
            return;
        }

        Volatile.Write(ref _callbackThreadId, Environment.CurrentManagedThreadId);
        try
        {
            call(service, this, data);
        }
        catch (Exception e)
        {
            SessionLog.ServiceFailed(Context.Logger, Id, e);
            Close(DisconnectReason.Error);
        }
        finally
        {
            Volatile.Write(ref _callbackThreadId, 0);
        }
    }

    private delegate void ServiceCall(ISessionService service, Session session, ReadOnlySpan<byte> data);
}
