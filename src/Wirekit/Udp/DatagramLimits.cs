using System.Net.Sockets;

namespace Wirekit.Udp;

/// <summary>The largest UDP payload each IP version can carry, checked before a send so the user gets a clear refusal.</summary>
public static class DatagramLimits
{
    // 65,535 (IPv4 total-length field) - 20 (IPv4 header without options) - 8 (UDP header).
    public const int MaxIPv4Payload = 65_507;

    // 65,535 (IPv6 payload-length field, which excludes the 40-byte fixed header) - 8 (UDP header); jumbograms aside.
    public const int MaxIPv6Payload = 65_527;

    public static int MaxPayload(AddressFamily family)
        => family == AddressFamily.InterNetworkV6 ? MaxIPv6Payload : MaxIPv4Payload;

    /// <summary>Null when the payload fits, otherwise a one-line reason for the user.</summary>
    public static string? Refusal(int length, AddressFamily family)
    {
        var max = MaxPayload(family);
        return length <= max
            ? null
            : $"datagram of {length} bytes refused: UDP over {(family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} carries at most {max} bytes";
    }
}
