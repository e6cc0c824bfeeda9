using System.Diagnostics;
using System.Text;
using Wirekit.Engines;

namespace Wirekit.Metrics;

/// <summary>The tags every Wirekit instrument carries: which server (echo, chat, file...), on which engine, on which port.</summary>
internal static class ServerTags
{
    public static TagList Of(string server, EngineKind engine, int port) => new()
    {
        { "server", server },
        { "engine", Snake(engine) },
        // Boxed once here: every measurement reuses this object.
        { "port", port },
    };

    /// <summary>The tags of a running server, for a service that counts events of its own.</summary>
    public static TagList Of(IServer server, string name) => Of(name, server.Engine, server.LocalEndPoint.Port);

    /// <summary>
    /// A service's short name from its type: EchoService is echo, ChatService chat, FileTransferHandler file; a
    /// library user's KeyValueService is keyvalue.
    /// </summary>
    public static string NameOf(IServerService service)
    {
        var name = service.GetType().Name;
        foreach (var suffix in new[] { "TransferHandler", "Service", "Handler", "Server" })
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        return name.ToLowerInvariant();
    }

    /// <summary>PeerClosed is peer_closed: Prometheus label values in the style of its names.</summary>
    public static string Snake<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        var snake = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(text[i]));
        }

        return snake.ToString();
    }
}
