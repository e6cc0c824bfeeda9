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

    public BlockingServer(EngineKind engine, ServerOptions options, IServerService service, ILogger logger)
        : base(engine, options, service, logger)
    {
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"wirekit-accept-{engine}" };
    }

    protected override void StartAccepting() => _acceptThread.Start();

    protected override Task WaitForAcceptLoopAsync() => Task.Run(() => _acceptThread.Join(AcceptThreadJoinTime));

    protected override Session CreateSession(long id, Socket socket)
        => Context.Tls is null ? new BlockingSession(id, socket, Context) : new TlsSession(id, socket, Context);

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
                var wait = AcceptFailures.Handle(e);
                if (wait > TimeSpan.Zero)
                {
                    Stopping.WaitHandle.WaitOne(wait);
                }

                continue;
            }

            if (Accepted(socket) is not { } session)
            {
                continue;
            }

            Action run = session switch
            {
                BlockingSession blocking => blocking.Run,
                HandlerSession handled => () => handled.RunAsync().GetAwaiter().GetResult(),
                // The session's thread waits for the TLS session's task: handshake and all stay on this session's flow.
                TlsSession tls => () => tls.RunAsync().GetAwaiter().GetResult(),
                _ => throw new InvalidOperationException($"unexpected session type {session.GetType().Name}"),
            };

            if (Engine == EngineKind.Iterative)
            {
                run();
            }
            else
            {
                StartThread(session, run);
            }
        }
    }

    /// <summary>A thread the system will not give (its thread or memory limit) ends that session, not the server.</summary>
    private void StartThread(Session session, Action run)
    {
        try
        {
            new Thread(() => run(), SessionStackSize) { IsBackground = true, Name = $"wirekit-session-{session.Id}" }.Start();
        }
        catch (OutOfMemoryException e)
        {
            if (Context.AbnormalCloseLog.TryPass(out _))
            {
                SessionLog.ThreadStartFailed(Context.Logger, session.Id, session.RemoteEndPoint, e);
            }

            session.Close(DisconnectReason.Error);
            session.Complete();
        }
    }
}
