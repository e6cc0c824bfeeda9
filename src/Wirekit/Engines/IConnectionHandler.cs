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

    /// <summary>
    /// Serves one connection to its end and says why it ended. The reason decides how the engine closes the socket:
    /// the graceful ones (<see cref="DisconnectReason.PeerClosed"/>, <see cref="DisconnectReason.ClosedByService"/>,
    /// <see cref="DisconnectReason.ServerShutdown"/>) with FIN, the rest (<see cref="DisconnectReason.Timeout"/>,
    /// <see cref="DisconnectReason.Aborted"/> ...) with RST. <paramref name="cancellationToken"/> is cancelled when
    /// the server stops or the session is closed. An exception counts as the reason it classifies to.
    /// </summary>
    Task<DisconnectReason> HandleAsync(Socket socket, long sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// True when the handler serves TLS connections (<see cref="HandleTlsAsync"/>). A server with
    /// <see cref="ServerOptions.Tls"/> refuses to start with a handler that does not, rather than serve it plaintext.
    /// </summary>
    bool CarriesTls => false;

    /// <summary>
    /// Serves one connection whose TLS handshake is done: every byte goes through <paramref name="tls"/> (decrypted
    /// reads, encrypted writes), never the socket itself, which is given for its options and address only.
    /// </summary>
    Task<DisconnectReason> HandleTlsAsync(Socket socket, Stream tls, long sessionId, CancellationToken cancellationToken)
        => throw new NotSupportedException($"{GetType().Name} does not serve TLS");
}
