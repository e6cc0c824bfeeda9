using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Udp;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `--announce`: a server's presence broadcast for `wirekit discover` (docs/discovery.md). A listener takes the
/// server's address from the datagram's source, so an announcement must leave from an address the server listens
/// on: a server on 127.0.0.1 announced from the host's network address (what the kernel picks for a broadcast)
/// sent everyone to an address nobody could connect to.
/// </summary>
internal static class ServerAnnouncement
{
    public static Option<bool> Option() => new("--announce")
    {
        Description = $"Tell the local network this server exists: broadcast its service, port and host name to UDP " +
                      $"{DefaultPorts.Discovery} every 3 seconds, so 'wirekit discover' on the same network lists it. Needs " +
                      "a --bind address other machines can reach (0.0.0.0, ::, or one of this host's addresses).",
    };

    /// <summary>Why a server bound to <paramref name="bind"/> cannot be announced; null when it can.</summary>
    public static string? WhyNot(IPAddress bind)
    {
        if (IPAddress.IsLoopback(bind))
        {
            return $"--announce: a server on {bind} is reachable from this machine only, so no one who hears the " +
                   "announcement could connect; bind an address the network can reach (--bind 0.0.0.0, or one of this host's addresses)";
        }

        // Announcements are IPv4 broadcasts: their source is an IPv4 address, which an IPv6-only server does not listen on.
        return bind.AddressFamily == AddressFamily.InterNetworkV6 && !bind.Equals(IPAddress.IPv6Any) && !bind.IsIPv4MappedToIPv6
            ? $"--announce: announcements are IPv4 broadcasts, and a server on {bind} takes IPv6 only; bind 0.0.0.0, :: or an IPv4 address"
            : null;
    }

    /// <summary>
    /// Starts announcing the server at <paramref name="listening"/>, from that address when it is a single one (so the
    /// datagram's source is where clients connect); null, with a warning logged, when broadcasting is impossible.
    /// </summary>
    public static Announcer? Start(string service, IPEndPoint listening, ILogger logger)
    {
        var version = typeof(Announcer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var name = Environment.MachineName.Length > AnnouncementCodec.MaxNameLength
            ? Environment.MachineName[..AnnouncementCodec.MaxNameLength]
            : Environment.MachineName;
        var source = listening.Address.AddressFamily == AddressFamily.InterNetwork ? listening.Address
            : listening.Address.IsIPv4MappedToIPv6 ? listening.Address.MapToIPv4()
            : IPAddress.Any;
        try
        {
            return Announcer.Start(new AnnouncementInfo(service, version, listening.Port, name), new AnnouncerOptions { LocalAddress = source }, logger);
        }
        catch (Exception e) when (e is ArgumentException or SocketException)
        {
            // Discovery is a convenience: it must never stop a server from serving.
            logger.LogWarning("--announce: not announcing the {Service} server: {Reason}", service, e.Message);
            return null;
        }
    }
}
