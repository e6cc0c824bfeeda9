using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Wirekit.Diagnostics;

/// <summary>
/// One network adapter as `ipconfig /all` shows it (the seed's GetAdaptersInfo). Every field is read from this
/// adapter's own properties: the seed printed the first adapter's IP address for all of them.
/// </summary>
public sealed record AdapterReport(
    string Name,
    string Description,
    string Type,
    string Status,
    string? Mac,
    IReadOnlyList<string> Ipv4,
    IReadOnlyList<string> Ipv6,
    IReadOnlyList<string> Gateways,
    IReadOnlyList<string> DnsServers,
    int? Mtu,
    long? SpeedBitsPerSecond)
{
    public static IReadOnlyList<AdapterReport> ReadAll()
        => NetworkInterface.GetAllNetworkInterfaces().Select(From).ToList();

    public static AdapterReport From(NetworkInterface adapter)
    {
        var properties = adapter.GetIPProperties();
        var unicast = properties.UnicastAddresses;
        var mac = adapter.GetPhysicalAddress().GetAddressBytes();
        return new AdapterReport(
            Name: adapter.Name,
            Description: adapter.Description,
            Type: adapter.NetworkInterfaceType.ToString(),
            Status: adapter.OperationalStatus.ToString(),
            Mac: mac.Length == 0 ? null : string.Join(':', mac.Select(b => b.ToString("x2"))),
            Ipv4: unicast.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => $"{a.Address}/{a.PrefixLength}").ToList(),
            Ipv6: unicast.Where(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6)
                .Select(a => $"{a.Address}/{a.PrefixLength}").ToList(),
            Gateways: properties.GatewayAddresses.Select(g => g.Address.ToString()).ToList(),
            DnsServers: properties.DnsAddresses.Select(d => d.ToString()).ToList(),
            Mtu: ReadMtu(adapter),
            SpeedBitsPerSecond: ReadSpeed(adapter));
    }

    private static int? ReadMtu(NetworkInterface adapter)
    {
        try
        {
            return adapter.Supports(NetworkInterfaceComponent.IPv4) ? adapter.GetIPProperties().GetIPv4Properties().Mtu
                : adapter.Supports(NetworkInterfaceComponent.IPv6) ? adapter.GetIPProperties().GetIPv6Properties().Mtu
                : null;
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }

    private const long MaxPlausibleSpeed = 10_000_000_000_000; // 10 Tbit/s

    private static long? ReadSpeed(NetworkInterface adapter)
    {
        try
        {
            // Virtual adapters (loopback, veth, most VMs) have no link speed; Linux reports -1 or throws.
            // "Unknown" also shows up as 2^32-1 Mbit/s (sysfs's -1 read as unsigned); no real link is that fast.
            var speed = adapter.Speed;
            return speed is > 0 and < MaxPlausibleSpeed ? speed : null;
        }
        catch (Exception e) when (e is NetworkInformationException or PlatformNotSupportedException or IOException)
        {
            return null;
        }
    }
}
