using System.Net.Sockets;

namespace Wirekit.Engines;

/// <summary>
/// A service that needs the socket itself (zero-copy file sends, request/response protocols). It needs an engine
/// that gives each session a flow of control of its own (<see cref="EngineFeatures.FlowPerSession"/>).
/// The engine has applied the socket options and owns the socket's lifetime: it closes it after this returns.
/// </summary>
public interface IConnectionHandler : IServerService
{
    /// <summary>A handler waits on its socket: it needs a thread or task per session.</summary>
    EngineFeatures IServerService.Requires => EngineFeatures.FlowPerSession;

    Task HandleAsync(Socket socket, long sessionId, CancellationToken cancellationToken);
}
