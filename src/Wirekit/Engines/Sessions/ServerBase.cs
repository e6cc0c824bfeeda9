using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Metrics;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// The part of a server every engine shares: the listener, the service's lifecycle, admission of accepted sockets
/// (<c>ServerBase.Admission.cs</c>), and the shutdown sequence: let the service speak its last, stop accepting, ask
/// every session to close, abort the ones that have not after 1 s, wait up to 0.5 s more, dispose the service.
/// </summary>
internal abstract partial class ServerBase : IServer
{
    /// <summary>How long sessions get to flush and close at shutdown before they are aborted.</summary>
    private static readonly TimeSpan GracefulCloseTime = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan AbortWaitTime = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stopping = new();
    private readonly IServerService _service;
    private Task? _stopTask;
    private Task _memoryTrim = Task.CompletedTask;
    private Task _flushCoalescing = Task.CompletedTask;

    protected ServerBase(EngineKind engine, ServerOptions options, IServerService service, ILogger logger)
    {
        _service = service;
        Handler = service as IConnectionHandler;
        Listener = SocketSetup.Listen(options);
        LocalEndPoint = (IPEndPoint)Listener.LocalEndPoint!;
        var registry = new SessionRegistry(SessionLimit(engine, options), service.DescriptorsPerSession);
        var metrics = new ServerMetrics(ServerTags.Of(ServerTags.NameOf(service), engine, LocalEndPoint.Port), () => registry.Count);
        Context = new ServerContext(engine, options, service as ISessionService, logger, registry, metrics);
        _acceptFailures = new AcceptFailures(Context, Listener, Refuse);
    }

    public EngineKind Engine => Context.Engine;

    public IPEndPoint LocalEndPoint { get; }

    public int ActiveSessions => Context.Registry.Count;

    public int MaxSessions => (int)Math.Min(Context.Registry.Limit, DescriptorBudget.Capacity / Math.Max(1, _service.DescriptorsPerSession));

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
        SessionLog.Listening(Context.Logger, Engine, LocalEndPoint, MaxSessions, DescriptorBudget.Limit);
        Instruments.Started(Context.Metrics);
        _service.OnServerStarted(this);
        if (Context.FlushCoalescer is { } coalescer)
        {
            _flushCoalescing = coalescer.RunAsync(Stopping);
        }

        StartAdmission();
        StartAccepting();
        if (Context.Options.TrimMemoryWhenIdle)
        {
            _memoryTrim = new IdleMemoryTrim(Context.Registry, Context.Logger).RunAsync(Stopping);
        }
    }

    /// <summary>Disposes the service the server owns; for a start that failed as much as for a stop.</summary>
    internal static async ValueTask DisposeServiceAsync(IServerService service)
    {
        switch (service)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
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

    private async Task StopOnceAsync()
    {
        // The service speaks first, while every session still takes bytes: a readiness loop that has seen the stop
        // finishes sessions with nothing queued, and would drop a notice queued after it looked.
        try
        {
            _service.OnServerStopping();
        }
        catch (Exception e)
        {
            SessionLog.ServiceFailed(Context.Logger, 0, e);
        }

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
        await _memoryTrim.ConfigureAwait(false);
        await _flushCoalescing.ConfigureAwait(false);
        await StopAdmissionAsync().ConfigureAwait(false);
        _acceptFailures.Dispose();
        SessionLog.Stopped(Context.Logger, Engine, Context.Registry.Count);
        Instruments.Stopped(Context.Metrics);
        await DisposeServiceAsync(_service).ConfigureAwait(false);
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
