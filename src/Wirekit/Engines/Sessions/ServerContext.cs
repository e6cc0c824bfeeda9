using Microsoft.Extensions.Logging;

namespace Wirekit.Engines.Sessions;

/// <summary>What every session of one server shares: its settings, its service, its log, its registry.</summary>
internal sealed class ServerContext(EngineKind engine, ServerOptions options, ISessionService? service, ILogger logger)
{
    public EngineKind Engine { get; } = engine;

    public ServerOptions Options { get; } = options;

    /// <summary>The byte-stream service; null when the server hosts an <see cref="IConnectionHandler"/> instead.</summary>
    public ISessionService? Service { get; } = service;

    public ILogger Logger { get; } = logger;

    public SessionRegistry Registry { get; } = new(options.MaxConnections);
}
