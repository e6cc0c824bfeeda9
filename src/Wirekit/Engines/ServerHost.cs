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
    /// Binds, listens and starts serving <paramref name="service"/> (an <see cref="ISessionService"/> or an
    /// <see cref="IConnectionHandler"/>) on <paramref name="engine"/>. The server owns the service from here on and
    /// disposes it when it stops, or at once if it cannot start.
    /// Throws <see cref="System.Net.Sockets.SocketException"/> when the address cannot be bound, and
    /// <see cref="NotSupportedException"/> when the engine cannot carry the service (<see cref="EngineCapabilities"/>).
    /// </summary>
    public static IServer Start(EngineKind engine, ServerOptions options, IServerService service, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(service);
        ServerBase server;
        try
        {
            if (service is not (ISessionService or IConnectionHandler))
            {
                throw new ArgumentException("a service is an ISessionService or an IConnectionHandler", nameof(service));
            }

            if (EngineCapabilities.WhyNot(engine, service.Requires | EngineCapabilities.RequiredBy(options)) is { } why)
            {
                throw new NotSupportedException(why);
            }

            if (options.Tls is not null && service is IConnectionHandler { CarriesTls: false })
            {
                throw new NotSupportedException($"{service.GetType().Name} does not serve TLS: it would send plaintext on a TLS port");
            }

            var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger($"Wirekit.Engines.{engine}");
            server = engine switch
            {
                EngineKind.Async => new AsyncServer(options, service, logger),
                EngineKind.Iterative or EngineKind.Threads => new BlockingServer(engine, options, service, logger),
                EngineKind.Select => new SelectServer(options, service, logger),
                _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown engine"),
            };
        }
        catch
        {
            ServerBase.DisposeServiceAsync(service).AsTask().GetAwaiter().GetResult();
            throw;
        }

        server.Start();
        return server;
    }
}
