using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Engines.Async;
using Wirekit.Engines.Blocking;
using Wirekit.Engines.Select;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines;

/// <summary>Starts a server for a service on the engine asked for. The one entry point services and the CLI use.</summary>
public static class ServerHost
{
    /// <summary>
    /// Binds, listens and starts serving <paramref name="service"/> on <paramref name="engine"/>.
    /// Throws <see cref="System.Net.Sockets.SocketException"/> when the address cannot be bound.
    /// </summary>
    public static IServer Start(EngineKind engine, ServerOptions options, ISessionService service, ILoggerFactory? loggers = null)
        => Start(engine, options, service, handler: null, loggers);

    /// <summary>Hosts a handler that takes each connection's socket whole; <see cref="EngineKind.Async"/> and <see cref="EngineKind.Threads"/> only.</summary>
    public static IServer Start(EngineKind engine, ServerOptions options, IConnectionHandler handler, ILoggerFactory? loggers = null)
        => Start(engine, options, service: null, handler, loggers);

    private static IServer Start(EngineKind engine, ServerOptions options, ISessionService? service, IConnectionHandler? handler, ILoggerFactory? loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger($"Wirekit.Engines.{engine}");
        ServerBase server = engine switch
        {
            EngineKind.Async => new AsyncServer(options, service, handler, logger),
            EngineKind.Iterative or EngineKind.Threads => new BlockingServer(engine, options, service, handler, logger),
            EngineKind.Select => new SelectServer(options, service, handler, logger),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown engine"),
        };
        server.Start();
        return server;
    }
}
