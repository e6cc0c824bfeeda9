using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Blocking;

/// <summary>
/// The two blocking engines. <see cref="EngineKind.Iterative"/> serves each accepted client to the end on the
/// accepting thread, so the next client waits in the listen backlog (the seed's first echo server);
/// <see cref="EngineKind.Threads"/> gives every client a thread of its own (the seed's multithreaded servers).
/// </summary>
internal sealed class BlockingServer : ServerBase
{
    private const int SessionStackSize = 256 * 1024;
    private static readonly TimeSpan AcceptThreadJoinTime = TimeSpan.FromMilliseconds(500);

    private readonly Thread _acceptThread;

    public BlockingServer(EngineKind engine, ServerOptions options, ISessionService? service, IConnectionHandler? handler, ILogger logger)
        : base(engine, options, service, handler, logger)
    {
        if (engine is not (EngineKind.Iterative or EngineKind.Threads))
        {
            throw new ArgumentOutOfRangeException(nameof(engine), engine, "the blocking server runs the iterative and threads engines");
        }

        if (handler is not null && engine == EngineKind.Iterative)
        {
            throw new NotSupportedException("connection handlers run on the threads and async engines");
        }

        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"wirekit-accept-{engine}" };
    }

    protected override void StartAccepting() => _acceptThread.Start();

    protected override Task WaitForAcceptLoopAsync() => Task.Run(() => _acceptThread.Join(AcceptThreadJoinTime));

    private void AcceptLoop()
    {
        while (!Stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = Listener.Accept();
            }
            catch (Exception e) when (Stopping.IsCancellationRequested && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE and friends: log, breathe, keep serving the sessions we have.
                SessionLog.AcceptFailed(Context.Logger, e);
                Stopping.WaitHandle.WaitOne(50);
                continue;
            }

            if (!Admit(socket))
            {
                continue;
            }

            var id = Context.Registry.NextId();
            Action run;
            Session session;
            if (Handler is null)
            {
                var blocking = new BlockingSession(id, socket, Context);
                (session, run) = (blocking, blocking.Run);
            }
            else
            {
                var handled = new HandlerSession(id, socket, Context, Handler);
                (session, run) = (handled, () => handled.RunAsync().GetAwaiter().GetResult());
            }

            Context.Registry.Add(session);
            CloseIfStopping(session);

            if (Engine == EngineKind.Iterative)
            {
                run();
            }
            else
            {
                new Thread(() => run(), SessionStackSize) { IsBackground = true, Name = $"wirekit-session-{id}" }.Start();
            }
        }
    }
}
