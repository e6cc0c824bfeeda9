using System.Globalization;
using Wirekit.Engines;

namespace Wirekit.Tests.Access;

/// <summary>The tags that pick one server's series out of a scrape: server, engine and port.</summary>
internal static class ServerLabels
{
    public static (string, string)[] Of(IServer server, string name) => Of(server.Engine, server.LocalEndPoint.Port, name);

    public static (string, string)[] Of(EngineKind engine, int port, string name)
        => [("server", name), ("engine", engine.ToString().ToLowerInvariant()), ("port", port.ToString(CultureInfo.InvariantCulture))];
}
