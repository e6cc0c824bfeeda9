using System.Net;

namespace Wirekit.Udp;

/// <summary>One server heard during a discovery run: where the datagrams came from and what they said.</summary>
public sealed record DiscoveredServer(IPAddress Address, AnnouncementInfo Info, DateTimeOffset FirstHeard, DateTimeOffset LastHeard, int Times)
{
    public IPEndPoint ServiceEndPoint => new(Address, Info.Port);
}

/// <summary>
/// Listens on the discovery port for a while and collects the servers that announced themselves, one entry per
/// (sender address, service, port, name). Foreign or malformed datagrams are counted and ignored.
/// </summary>
public sealed class DiscoveryListener : IDisposable
{
    // Bounds memory if someone floods the port with distinct forged announcements.
    private const int MaxServers = 1024;
    private readonly DatagramSocket _socket;

    public DiscoveryListener(IPEndPoint bind)
    {
        // SO_REUSEADDR: several `discover` runs (or a discover beside a server) may share the port.
        _socket = DatagramSocket.Bind(bind, reuseAddress: true);
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    public int Ignored { get; private set; }

    public async Task<IReadOnlyList<DiscoveredServer>> ListenAsync(TimeSpan duration, CancellationToken ct)
    {
        var heard = new Dictionary<(IPAddress, string, int, string), DiscoveredServer>();
        var buffer = new byte[AnnouncementCodec.MaxDatagramBytes + 1];
        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        window.CancelAfter(duration);
        try
        {
            while (true)
            {
                var datagram = await _socket.ReceiveAsync(buffer, window.Token).ConfigureAwait(false);
                if (!datagram.Succeeded || datagram.Truncated
                    || !AnnouncementCodec.TryDecode(buffer.AsSpan(0, datagram.Length), out var info, out _))
                {
                    Ignored++;
                    continue;
                }

                var now = DateTimeOffset.UtcNow;
                var key = (datagram.Remote!.Address, info!.Service, info.Port, info.Name);
                if (heard.TryGetValue(key, out var known))
                {
                    heard[key] = known with { Info = info, LastHeard = now, Times = known.Times + 1 };
                }
                else if (heard.Count < MaxServers)
                {
                    heard[key] = new DiscoveredServer(datagram.Remote.Address, info, now, now, 1);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The listening window closed.
        }

        return heard.Values.OrderBy(s => s.Info.Service).ThenBy(s => s.Address.ToString()).ThenBy(s => s.Info.Port).ToList();
    }

    public void Dispose() => _socket.Dispose();
}
