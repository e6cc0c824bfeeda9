using Microsoft.Extensions.Logging;
using Wirekit.Access;
using Wirekit.Logging;
using Wirekit.Metrics;
using Wirekit.Tls;

namespace Wirekit.Engines.Sessions;

/// <summary>What every session of one server shares: its settings, its service, its log, its registry, its metrics.</summary>
internal sealed class ServerContext(EngineKind engine, ServerOptions options, ISessionService? service, ILogger logger, SessionRegistry registry, ServerMetrics metrics)
{
    public EngineKind Engine { get; } = engine;

    public ServerOptions Options { get; } = options;

    /// <summary>The byte-stream service; null when the server hosts an <see cref="IConnectionHandler"/> instead.</summary>
    public ISessionService? Service { get; } = service;

    public ILogger Logger { get; } = logger;

    public SessionRegistry Registry { get; } = registry;

    public ServerMetrics Metrics { get; } = metrics;

    /// <summary>Access rules, the per-address count and their log tables.</summary>
    public AccessGate Access { get; } = new(options);

    /// <summary>The server's TLS layer; null for a plaintext server.</summary>
    public TlsServerLayer? Tls { get; } = options.Tls is null ? null : new TlsServerLayer(options.Tls, logger, metrics);

    /// <summary>Batches the flushes of bytes queued from other threads; null unless <see cref="ServerOptions.FlushCoalescing"/> is set.</summary>
    public FlushCoalescer? FlushCoalescer { get; } = options.FlushCoalescing > TimeSpan.Zero ? new FlushCoalescer(options.FlushCoalescing) : null;

    /// <summary>Refused connections: a flood of them is a few lines a second and a count, not a line each.</summary>
    public LogThrottle RefusalLog { get; } = new(burst: 5, TimeSpan.FromSeconds(1));

    /// <summary>Sessions that end badly (timeouts, slow consumers): a warning each, but a bounded number per second.</summary>
    public LogThrottle AbnormalCloseLog { get; } = new(burst: 20, TimeSpan.FromSeconds(1));
}
