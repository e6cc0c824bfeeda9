using System.Diagnostics;
using Wirekit.Engines;

namespace Wirekit.Metrics;

/// <summary>
/// What a service's own feed (the chat room's, the file server's) shares: its server's tags, known once the server
/// has started; until then (or for a service used without a server) nothing is counted.
/// </summary>
internal abstract class ServiceMetrics
{
    private readonly TagList _tags;

    protected ServiceMetrics(IServer? server, string name)
    {
        if (server is not null)
        {
            _tags = ServerTags.Of(server, name);
            IsTagged = true;
        }
    }

    /// <summary>False until the server started: the feed counts nothing.</summary>
    protected bool IsTagged { get; }

    protected ref readonly TagList Tags => ref _tags;

    /// <summary>The server's tags and one or two more; only built when someone listens.</summary>
    protected TagList With(string key, object value, string? key2 = null, object? value2 = null)
    {
        var tags = _tags;
        tags.Add(key, value);
        if (key2 is not null)
        {
            tags.Add(key2, value2);
        }

        return tags;
    }
}
