using System.Net;
using System.Net.Sockets;

namespace Wirekit.Access;

/// <summary>
/// Reads one access rule: a CIDR block (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>) or a single address (<c>127.0.0.2</c>,
/// <c>::1</c>, meaning /32 or /128). Wrapped in <see cref="IPNetwork"/>, which does the matching; this adds the
/// readable reasons a person needs when a rule is mistyped, and the IPv4-mapped form a dual-stack listener reports.
/// </summary>
public static class AddressRule
{
    /// <summary>
    /// Parses <paramref name="text"/>; throws <see cref="FormatException"/> whose message is the exact reason
    /// (<c>'10.0.0.1/24' has host bits set: the /24 block is 10.0.0.0/24</c>).
    /// </summary>
    public static IPNetwork Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is not an address or CIDR block: write an IPv4 or IPv6 address, optionally followed by /prefix (10.0.0.0/8, 127.0.0.2, ::1, 2001:db8::/32)");
        }

        address = Plain(address);
        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(trimmed.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            throw new FormatException($"'{text}': the prefix after / must be a number of bits from 0 to {maxPrefix} for an {(maxPrefix == 32 ? "IPv4" : "IPv6")} address");
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw new FormatException($"'{text}' has host bits set: the /{prefix} block is {network}");
        }

        return network;
    }

    /// <summary>The address people know: a.b.c.d for ::ffff:a.b.c.d, the rest as they are.</summary>
    internal static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsHere = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsHere));
        }

        return new IPAddress(bytes);
    }
}
