using System.Diagnostics.Metrics;

namespace Wirekit.Metrics;

/// <summary>
/// The servers of this process that are running, so a gauge can read each one's session count when it is collected:
/// nothing is counted on the accept path for it, and a listener that attaches late still sees the true figure.
/// </summary>
internal sealed class ServerSet
{
    private readonly Lock _lock = new();
    private readonly List<ServerMetrics> _servers = [];

    public void Add(ServerMetrics server)
    {
        lock (_lock)
        {
            _servers.Add(server);
        }
    }

    public void Remove(ServerMetrics server)
    {
        lock (_lock)
        {
            _servers.Remove(server);
        }
    }

    public IEnumerable<Measurement<int>> ActiveSessions()
    {
        lock (_lock)
        {
            return _servers.Select(server => new Measurement<int>(server.ActiveSessions(), server.Tags)).ToArray();
        }
    }
}
