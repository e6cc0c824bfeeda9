using System.Net;

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

    /// <summary>Length of the listen queue for connections not yet accepted.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>TCP keepalive on every accepted socket, or null to leave it off.</summary>
    public KeepAliveOptions? KeepAlive { get; init; }

    /// <summary>Sessions served at once; further connections are refused. 0 means no limit beyond the open-file limit.</summary>
    public int MaxConnections { get; init; }

    /// <summary>Log the size of every receive (shows how TCP coalesces or splits sends).</summary>
    public bool TraceReceives { get; init; }

    /// <summary>Bytes queued for a peer beyond which the engine stops reading from it until the queue drains.</summary>
    public int ReceivePauseThreshold { get; init; } = 64 * 1024;

    /// <summary>Hard bound on bytes queued for one peer; a session that exceeds it is closed as a slow consumer.</summary>
    public int MaxQueuedBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Creates the listening socket instead of <c>new Socket(...)</c>. Tests use it to create the listener inside a
    /// network namespace (a socket belongs to the namespace it was created in, and accepted sockets inherit it).
    /// </summary>
    public Func<System.Net.Sockets.AddressFamily, System.Net.Sockets.Socket>? ListenerFactory { get; init; }
}
