using System.Net;

namespace Wirekit.Proxy;

/// <summary>Where the proxy listens, what it forwards to, its bounds, and the faults it starts with.</summary>
public sealed record ProxyOptions
{
    /// <summary>Address and port to listen on; port 0 picks a free one. Default 127.0.0.1:0.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>Host name or address of the service behind the proxy.</summary>
    public required string TargetHost { get; init; }

    public required int TargetPort { get; init; }

    /// <summary>Connections open at once; beyond it a new client is reset at accept. Default 1000.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>
    /// Read buffer per direction, pooled. With --latency a direction also holds up to <see cref="DelayLine.Capacity"/>
    /// such buffers in flight, so one connection uses at most 2 x 17 of them. Default 64 KiB.
    /// </summary>
    public int BufferBytes { get; init; } = 64 * 1024;

    /// <summary>Limit for connecting to the target. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Faults on bytes from client to target.</summary>
    public ProxyFaults Up { get; init; } = ProxyFaults.None;

    /// <summary>Faults on bytes from target to client.</summary>
    public ProxyFaults Down { get; init; } = ProxyFaults.None;
}
