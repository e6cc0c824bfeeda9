using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// The part of a server every engine shares: the listener, admission against the connection limit, and the
/// shutdown sequence (stop accepting, ask every session to close, abort the ones that will not, within 2 s).
/// </summary>
internal abstract class ServerBase : IServer
{
    /// <summary>How long sessions get to flush and close at shutdown before they are aborted.</summary>
    private static readonly TimeSpan GracefulCloseTime = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan AbortWaitTime = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _stopTask;

    protected ServerBase(EngineKind engine, ServerOptions options, ISessionService? service, IConnectionHandler? handler, ILogger logger)
    {
        Context = new ServerContext(engine, options, service, logger);
        Handler = handler;
        Listener = SocketSetup.Listen(options);
        LocalEndPoint = (IPEndPoint)Listener.LocalEndPoint!;
    }

    public EngineKind Engine => Context.Engine;

    public IPEndPoint LocalEndPoint { get; }

    public int ActiveSessions => Context.Registry.Count;

    protected ServerContext Context { get; }

    protected IConnectionHandler? Handler { get; }

    /// <summary>The listening socket; internal so tests can read its options back.</summary>
    internal Socket Listener { get; }

    protected CancellationToken Stopping => _stopping.Token;

    public Task StopAsync()
    {
        lock (_stopping)
        {
            return _stopTask ??= StopOnceAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Begins accepting. Called once, after construction, so a bind failure surfaces from the constructor.</summary>
    internal void Start()
    {
        SessionLog.Listening(Context.Logger, Engine, LocalEndPoint);
        StartAccepting();
    }

    protected abstract void StartAccepting();

    /// <summary>Waits for the accept loop (task or thread) to end after the listener closed.</summary>
    protected abstract Task WaitForAcceptLoopAsync();

    /// <summary>Asks every session to close; engines with a loop of their own may do it on that loop instead.</summary>
    protected virtual void RequestSessionsClose()
    {
        foreach (var session in Context.Registry.Snapshot())
        {
            session.Close(DisconnectReason.ServerShutdown);
        }
    }

    /// <summary>
    /// Applies socket options to an accepted socket, or refuses it when the server is full: the service's notice
    /// is sent, then the socket closed. Returns false for a refused socket.
    /// </summary>
    protected bool Admit(Socket socket)
    {
        if (!Context.Registry.IsFull)
        {
            SocketSetup.ApplyToAccepted(socket, Context.Options);
            return true;
        }

        SessionLog.Refused(Context.Logger, (IPEndPoint)socket.RemoteEndPoint!, Context.Registry.Count, Context.Options.MaxConnections);
        try
        {
            var notice = Context.Service is { } service ? service.RefusalNotice : default;
            if (!notice.IsEmpty)
            {
                socket.Blocking = false;
                socket.Send(notice, SocketFlags.None, out _);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }

        return false;
    }

    /// <summary>A socket accepted while the stop began may have missed the close request: close it here.</summary>
    protected void CloseIfStopping(Session session)
    {
        if (Stopping.IsCancellationRequested)
        {
            session.Close(DisconnectReason.ServerShutdown);
        }
    }

    private async Task StopOnceAsync()
    {
        _stopping.Cancel();
        Listener.Dispose();

        // Sessions first, accept loop second: the iterative engine serves its one session on the accept thread.
        RequestSessionsClose();
        if (!await WaitForNoSessionsAsync(GracefulCloseTime).ConfigureAwait(false))
        {
            foreach (var session in Context.Registry.Snapshot())
            {
                session.Abort();
            }

            await WaitForNoSessionsAsync(AbortWaitTime).ConfigureAwait(false);
        }

        await WaitForAcceptLoopAsync().ConfigureAwait(false);

        SessionLog.Stopped(Context.Logger, Engine, Context.Registry.Count);
    }

    private async Task<bool> WaitForNoSessionsAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (Context.Registry.Count > 0)
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }
}
