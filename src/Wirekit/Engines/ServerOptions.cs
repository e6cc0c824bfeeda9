using System.Net;
using Wirekit.Access;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines;

/// <summary>Socket-level settings every engine honours. Defaults are the safe ones: loopback only, kernel buffer sizes.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to bind. Loopback by default; listening on all interfaces is an explicit choice.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 asks the kernel for an ephemeral port (tests use it).</summary>
    public int Port { get; init; }

    /// <summary>TCP_NODELAY on every accepted socket (turns Nagle's algorithm off).</summary>
    public bool NoDelay { get; init; }

    /// <summary>SO_REUSEADDR on the listener, so a restarted server can bind over connections still in TIME_WAIT.</summary>
    public bool ReuseAddress { get; init; }

    /// <summary>SO_SNDBUF for accepted sockets, or null for the kernel's default.</summary>
    public int? SendBufferSize { get; init; }

    /// <summary>SO_RCVBUF for accepted sockets, or null for the kernel's default. Set on the listener too, so the window scale is negotiated for it.</summary>
    public int? ReceiveBufferSize { get; init; }

    /// <summary>
    /// Length of the listen queue for connections the kernel has completed and we have not accepted yet. By default
    /// the system's maximum (<c>net.core.somaxconn</c> on Linux): a smaller queue drops the SYNs of a join storm (2,000
    /// simultaneous joins with 512 left 206 connections established at the client and never accepted), and a
    /// larger one is cut to it by the kernel anyway.
    /// </summary>
    public int Backlog { get; init; } = ListenBacklog.SystemMaximum;

    /// <summary>TCP keepalive on every accepted socket, or null to leave it off.</summary>
    public KeepAliveOptions? KeepAlive { get; init; }

    /// <summary>
    /// Sessions served at once; further connections are refused with the service's notice. 0 (the default) means
    /// what the engine can serve within the process's open-file limit (see <see cref="IServer.MaxSessions"/>).
    /// </summary>
    public int MaxConnections { get; init; }

    /// <summary>
    /// Write coalescing for bytes queued from other threads (a chat room's fan-out): a peer whose last such flush was
    /// asked for less than this long ago has the next one wait up to this long, so a busy room's lines reach it several
    /// per send instead of one send (and one receive at its end) per line. A peer that receives now and then is sent
    /// each line at once. Zero (the default in the library) sends each at once always; `chat serve` runs with 10 ms.
    /// Replies made inside a session's own receive callback are never delayed, nor is a close.
    /// </summary>
    public TimeSpan FlushCoalescing { get; init; }

    /// <summary>Bytes queued for a peer beyond which the engine stops reading from it until the queue drains.</summary>
    public int ReceivePauseThreshold { get; init; } = 64 * 1024;

    /// <summary>Hard bound on bytes queued for one peer; a session that exceeds it is closed as a slow consumer.</summary>
    public int MaxQueuedBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// After the sessions fall to a tenth of a peak of 256 or more and stay there, run one aggressive garbage collection
    /// so the memory the crowd used goes back to the system (an idle server never collects on its own). On by default;
    /// off for a process that shares its heap with work of its own and would rather not be paused for it.
    /// </summary>
    public bool TrimMemoryWhenIdle { get; init; } = true;

    // Access control and slow starts (docs/access-control.md).

    /// <summary>Which peer addresses are admitted (CIDR allow and deny rules); everyone by default.</summary>
    public AccessPolicy Access { get; init; } = AccessPolicy.Open;

    /// <summary>Connections one peer address may hold at once, so one host cannot take every slot; 0 (the default) for no such limit.</summary>
    public int MaxConnectionsPerAddress { get; init; }

    /// <summary>
    /// How long a new connection has to complete its handshake: TLS when it is on, then its first complete line, frame
    /// or header (for services that say when that is: <see cref="IServerService.MarksEstablished"/>). Past it the
    /// connection is closed (<see cref="DisconnectReason.HandshakeTimeout"/>), so silent or trickling connections cannot
    /// hold slots. Off (<see cref="TimeSpan.Zero"/>) by default in the library, so a host keeps the behaviour it was
    /// written for (a chat member that only listens, say); the CLI's servers run with 10 s.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; }

    /// <summary>
    /// Creates the listening socket instead of <c>new Socket(...)</c>. Tests use it to create the listener inside a
    /// network namespace (a socket belongs to the namespace it was created in, and accepted sockets inherit it).
    /// </summary>
    public Func<System.Net.Sockets.AddressFamily, System.Net.Sockets.Socket>? ListenerFactory { get; init; }

    // TLS (issue 11).

    /// <summary>
    /// TLS under every session: the server's certificate and, for mutual TLS, the client authorities. Null (the
    /// default) serves plaintext. Needs an engine that carries TLS (<see cref="EngineFeatures.Tls"/>).
    /// </summary>
    public Tls.TlsServerOptions? Tls { get; init; }
}
