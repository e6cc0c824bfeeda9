using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// What a wildcard bind (0.0.0.0, ::) means to the person who typed it: which addresses of this host now accept
/// connections, and which one to try from here. `nc 0.0.0.0 25000` happens to work on Linux, but it is not an address
/// anyone else can use, and the point of such a bind is that others can.
/// </summary>
internal static class ListenAddresses
{
    public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>The endpoint to show in a "try:" hint: loopback for a wildcard bind (a dual-stack :: takes IPv4 too).</summary>
    public static IPEndPoint ToTry(IPEndPoint listening)
        => IsWildcard(listening.Address) ? new IPEndPoint(IPAddress.Loopback, listening.Port) : listening;

    /// <summary>The warning a wildcard bind earns, naming the addresses others would use; null for any other bind.</summary>
    public static string? Warning(IPAddress bind)
    {
        if (!IsWildcard(bind))
        {
            return null;
        }

        var addresses = NetworkAddresses(includeIPv6: bind.Equals(IPAddress.IPv6Any));
        var reach = addresses.Count > 0
            ? $"other machines reach it at {string.Join(", ", addresses)}"
            : "this host has no network address right now, but any it gets will be served";
        return $"warning: listening on {bind}, every address of this host: {reach}";
    }

    /// <summary>
    /// The host's addresses on interfaces that are up, loopback left out. IPv6 link-local addresses are left out too:
    /// they need a %zone suffix nobody types.
    /// </summary>
    private static List<string> NetworkAddresses(bool includeIPv6)
    {
        var found = new List<string>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetwork
                    || (includeIPv6 && address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal && !IPAddress.IsLoopback(address)))
                {
                    found.Add(address.ToString());
                }
            }
        }

        return found;
    }
}
