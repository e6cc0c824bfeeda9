using System.Net;

namespace Wirekit.Bench;

/// <summary>What <see cref="IdleConnectionSet"/> opens and how it checks the connections still work.</summary>
public sealed record IdleConnectionOptions
{
    /// <summary>The echo server. Required.</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>Connections to open and hold idle. Default 1000.</summary>
    public int Count { get; init; } = 1000;

    /// <summary>
    /// Connections per local source address before moving on to the next (127.0.0.1, .2, ...; loopback targets
    /// only). Default 20,000: Linux hands out about 28,000 ephemeral ports per source address (32768-60999).
    /// </summary>
    public int ConnectionsPerSource { get; init; } = 20_000;

    /// <summary>Connects and echo checks in progress at once. Default 200: enough to be quick, well under any backlog.</summary>
    public int Parallelism { get; init; } = 200;

    /// <summary>Limit for each connect. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Limit for each echo check (send a few bytes, get them back). Default 5 s.</summary>
    public TimeSpan EchoTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// TLS on every connection, or null for plaintext: each connection is opened and then handshakes (the open time
    /// then gives handshakes per second). Default null.
    /// </summary>
    public TlsHandshake? Tls { get; init; }

    /// <summary>The first rule these options break, or null when they break none.</summary>
    public OptionProblem? Problem() =>
        Count < 1 ? new(nameof(Count), "must be at least 1")
        : ConnectionsPerSource < 1 ? new(nameof(ConnectionsPerSource), "must be at least 1")
        : Parallelism < 1 ? new(nameof(Parallelism), "must be at least 1")
        : null;
}
