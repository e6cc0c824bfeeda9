using System.Net;

namespace Wirekit.Udp;

/// <summary>Where and how often an <see cref="Announcer"/> broadcasts.</summary>
public sealed record AnnouncerOptions
{
    /// <summary>UDP port the announcements go to. Default <see cref="DefaultPorts.Discovery"/> (25099).</summary>
    public int Port { get; init; } = DefaultPorts.Discovery;

    /// <summary>Time between announcements. Default 3 seconds: a listener hears every server within one `discover` run.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Destination address. Default 255.255.255.255 (the local link); a subnet's broadcast address such as
    /// 10.213.0.255 keeps the announcement to that subnet's interface.
    /// </summary>
    public IPAddress BroadcastAddress { get; init; } = IPAddress.Broadcast;

    /// <summary>Local address to send from; picks the interface on a multi-homed host. Default: any.</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Any;
}
