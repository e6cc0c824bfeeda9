using System.Net;
using System.Net.Sockets;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// What every engine's session shares: identity, the bounded outgoing queue, close-once with a recorded reason,
/// the pause/drain handshake, the flush loop and what a failed send means. An engine subclass supplies only how it
/// waits: how a flush is scheduled from another thread (<see cref="ScheduleFlush"/>), how a paused receiver is woken
/// (<see cref="WakeReceiver"/>), and, where it has to, how a close request reaches its loops.
/// </summary>
internal abstract partial class Session : ISession
{
    private const int NotClosing = -1;

    private int _closeReason = NotClosing;
    private int _callbackThreadId;
    private int _receivePaused;
    private bool _opened;

    protected Session(long id, Socket socket, ServerContext context)
    {
        Id = id;
        Socket = socket;
        Context = context;
        RemoteEndPoint = Plain((IPEndPoint)socket.RemoteEndPoint!);
        Outbound = new OutboundQueue(context.Options.MaxQueuedBytes);
    }

    public long Id { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public object? State { get; set; }

    public int QueuedBytes => Outbound.Count;

    public bool KeepsSendBoundaries
    {
        get => Outbound.KeepsBoundaries;
        set
        {
            Outbound.KeepsBoundaries = value;
            if (value)
            {
                KeepSegmentsApart();
            }
        }
    }

    internal Socket Socket { get; }

    internal OutboundQueue Outbound { get; }

    protected ServerContext Context { get; }

    protected internal bool IsClosing => Volatile.Read(ref _closeReason) != NotClosing;

    protected DisconnectReason CloseReason => (DisconnectReason)Volatile.Read(ref _closeReason);

    /// <summary>True while reading should wait: the peer is not taking what we already owe it.</summary>
    protected bool ShouldPauseReceiving => Outbound.Count >= Context.Options.ReceivePauseThreshold;

    /// <summary>Closing, and still owing the peer queued bytes that it may yet receive (a graceful close).</summary>
    protected bool OwesFinalFlush => Outbound.Count > 0 && (!IsClosing || SocketErrors.FlushesBeforeClose(CloseReason));

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

        Context.Metrics.Queued(Outbound.Count);

        // Inside this session's own receive callback the engine flushes right after the callback returns,
        // on the same thread and without a hand-off; from anywhere else the engine must be told.
        // A session that keeps its messages apart (a C client reading one per recv) is not coalesced: a burst of its
        // sends at the window's end would reach such a reader merged.
        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _callbackThreadId) && (Outbound.KeepsBoundaries || Context.FlushCoalescer?.Defers(this) != true))
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
        _opened = true;
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
        if (!_delivered && FirstDelivery(data))
        {
            return;
        }

        SessionLog.Received(Context.Logger, Id, data.Length);
        Context.Metrics.Received(data.Length);
        Invoke(static (service, session, bytes) => service.OnReceived(session, bytes), data);
    }

    /// <summary>Another thread queued bytes: get them flushed without blocking that thread.</summary>
    protected abstract void ScheduleFlush();

    /// <summary>The queue drained below the pause threshold (or the session is closing): wake a receiver paused in <see cref="EnterPause"/>.</summary>
    protected abstract void WakeReceiver();

    /// <summary>
    /// The first close request (or a send failure that ended a graceful close) arrived: make the session's loops wind
    /// down. By default a graceful reason shuts the receive side (a blocked receive returns 0, the final flush still
    /// runs) and any other reason disposes the socket (both loops fail fast: nothing more is owed to the peer); then
    /// both loops are woken. Engines whose sockets only their own loop may touch override this.
    /// </summary>
    protected virtual void OnCloseRequested(DisconnectReason reason)
    {
        if (SocketErrors.FlushesBeforeClose(reason))
        {
            TryShutdownReceive();
        }
        else
        {
            Socket.Dispose();
        }

        WakeReceiver();
        ScheduleFlush();
    }

    /// <summary>
    /// The receiver is about to wait for the peer to drain what it owes. Publishes the pause first, then re-checks:
    /// a flusher that drained in between saw no pause and woke nobody. True means the receiver must really wait
    /// (and call <see cref="LeavePause"/> after); false means it may read on.
    /// </summary>
    protected bool EnterPause()
    {
        Volatile.Write(ref _receivePaused, 1);
        if (ShouldPauseReceiving && !IsClosing)
        {
            return true;
        }

        Volatile.Write(ref _receivePaused, 0);
        return false;
    }

    protected void LeavePause() => Volatile.Write(ref _receivePaused, 0);

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

    /// <summary>An IPv4 peer of a dual-stack listener arrives as ::ffff:a.b.c.d; people (and logs) know it as a.b.c.d.</summary>
    private static IPEndPoint Plain(IPEndPoint remote)
        => remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;

    /// <summary>
    /// Separate sends are worth little if Nagle's algorithm holds the second until the first is acknowledged and then
    /// sends both in one segment: a peer that reads one message per recv needs TCP_NODELAY as much as separate sends.
    /// </summary>
    private void KeepSegmentsApart()
    {
        try
        {
            Socket.NoDelay = true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closing already: nothing more will be sent anyway.
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
