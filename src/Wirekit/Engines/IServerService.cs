namespace Wirekit.Engines;

/// <summary>
/// What every service hosted by <see cref="ServerHost"/> shares, whatever its shape (<see cref="ISessionService"/>
/// or <see cref="IConnectionHandler"/>): what it needs of an engine, what a session costs in descriptors, and the
/// server's start and stop. Every member has a default, so a simple service implements none of them.
/// The server owns the service: once it has stopped it disposes the service (<see cref="IAsyncDisposable"/> or
/// <see cref="IDisposable"/>), so a service's own loops and resources end with the server that runs it.
/// </summary>
public interface IServerService
{
    /// <summary>What an engine must offer to carry this service; <see cref="EngineCapabilities"/> says which do.</summary>
    EngineFeatures Requires => EngineFeatures.None;

    /// <summary>
    /// Descriptors one session holds at most: its socket, plus any file it opens. The server admits sessions against
    /// the process's open-file limit with this cost, so the descriptors it needs are there when it needs them.
    /// </summary>
    int DescriptorsPerSession => 1;

    /// <summary>
    /// True when the service says when each session's first complete unit has arrived (<see cref="ISession.MarkEstablished"/>,
    /// <see cref="IServer.MarkEstablished"/>): its sessions are then held to <see cref="ServerOptions.HandshakeTimeout"/>
    /// (a TLS handshake included, which completes before the service sees a byte). False by default: a service that never
    /// says so is not cut off by a deadline it cannot meet.
    /// </summary>
    bool MarksEstablished => false;

    /// <summary>The server listens and is about to accept its first connection.</summary>
    void OnServerStarted(IServer server)
    {
    }

    /// <summary>
    /// The server is about to stop: next it stops accepting and asks every session to close (each flushes what is
    /// queued first). The last moment to tell the sessions something. Must not block.
    /// </summary>
    void OnServerStopping()
    {
    }
}
