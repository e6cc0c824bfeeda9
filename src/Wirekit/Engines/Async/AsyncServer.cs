using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Async;

/// <summary>The completion-based engine: an accept loop and, per session, a receive loop and a send loop, all awaiting the OS.</summary>
internal sealed class AsyncServer : ServerBase
{
    private Task _acceptLoop = Task.CompletedTask;

    public AsyncServer(ServerOptions options, ISessionService? service, IConnectionHandler? handler, ILogger logger)
        : base(EngineKind.Async, options, service, handler, logger)
    {
    }

    protected override void StartAccepting() => _acceptLoop = AcceptLoopAsync();

    protected override Task WaitForAcceptLoopAsync() => _acceptLoop;

    private async Task AcceptLoopAsync()
    {
        while (!Stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await Listener.AcceptAsync(Stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (Stopping.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE and friends: log, breathe, keep serving the sessions we have.
                SessionLog.AcceptFailed(Context.Logger, e);
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!Admit(socket))
            {
                continue;
            }

            // Each session's task is owned by the registry: it removes itself on completion, and StopAsync waits
            // for the registry to empty. RunAsync catches everything, so nothing goes unobserved.
            var id = Context.Registry.NextId();
            if (Handler is null)
            {
                var session = new AsyncSession(id, socket, Context);
                Context.Registry.Add(session);
                CloseIfStopping(session);
                _ = session.RunAsync();
            }
            else
            {
                var session = new HandlerSession(id, socket, Context, Handler);
                Context.Registry.Add(session);
                CloseIfStopping(session);
                _ = session.RunAsync();
            }
        }
    }
}
