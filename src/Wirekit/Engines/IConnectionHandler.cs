using System.Net.Sockets;

namespace Wirekit.Engines;

/// <summary>
/// A service that needs the socket itself (zero-copy file sends, request/response protocols). Runs on the
/// engines that give a session its own flow of control: <see cref="EngineKind.Async"/> and <see cref="EngineKind.Threads"/>.
/// The engine has applied the socket options and owns the socket's lifetime: it closes it after this returns.
/// </summary>
public interface IConnectionHandler
{
    Task HandleAsync(Socket socket, long sessionId, CancellationToken cancellationToken);
}
