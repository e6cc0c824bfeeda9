using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Async;

/// <summary>The completion-based engine: an accept loop and, per session, a receive loop and a send loop, all awaiting the OS.</summary>
internal sealed class AsyncServer : ServerBase
{
    private Task _acceptLoop = Task.CompletedTask;

    public AsyncServer(ServerOptions options, IServerService service, ILogger logger)
        : base(EngineKind.Async, options, service, logger)
    {
    }

    protected override void StartAccepting() => _acceptLoop = AcceptLoopAsync();

    protected override Task WaitForAcceptLoopAsync() => _acceptLoop;

    protected override Session CreateSession(long id, Socket socket)
        => Context.Tls is null ? new AsyncSession(id, socket, Context) : new TlsSession(id, socket, Context);

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
                var wait = AcceptFailures.Handle(e);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            // Each session's task is owned by the registry: it removes itself on completion, and StopAsync waits
            // for the registry to empty. RunAsync catches everything, so nothing goes unobserved.
            switch (Accepted(socket))
            {
                case AsyncSession session:
                    _ = session.RunAsync();
                    break;
                case TlsSession tls:
                    _ = tls.RunAsync();
                    break;
                case HandlerSession handled:
                    _ = handled.RunAsync();
                    break;
            }
        }
    }
}
