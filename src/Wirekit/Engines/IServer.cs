using System.Net;

namespace Wirekit.Engines;

/// <summary>A running server: listening from the moment it is returned, until it is disposed.</summary>
public interface IServer : IAsyncDisposable
{
    EngineKind Engine { get; }

    /// <summary>The bound endpoint, with the real port when 0 was asked for.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sessions open right now.</summary>
    int ActiveSessions { get; }

    /// <summary>
    /// Sessions this server admits at once: <see cref="ServerOptions.MaxConnections"/>, or by default what its engine
    /// and the process's open-file limit allow (shared with other servers in the process). Connections beyond it are
    /// refused with the service's notice.
    /// </summary>
    int MaxSessions { get; }

    /// <summary>
    /// <see cref="ISession.MarkEstablished"/> for an <see cref="IConnectionHandler"/>'s session, which the handler knows by
    /// its id: its first request header has arrived, and the handshake deadline no longer applies. Unknown ids are ignored.
    /// </summary>
    void MarkEstablished(long sessionId);

    /// <summary>Stops accepting, closes every session, and waits for the engine's threads and tasks to end.</summary>
    Task StopAsync();
}
