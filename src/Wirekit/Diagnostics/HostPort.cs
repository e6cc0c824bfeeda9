using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Diagnostics;

/// <summary>
/// "host", "host:port", "1.2.3.4:53", "::1" or "[::1]:53" as typed on a command line. Pure parsing; resolving a
/// name is a separate, explicit step so a typo fails before any packet is sent.
/// </summary>
public readonly record struct HostPort(string Host, int? Port)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out HostPort? result, out string? error)
    {
        result = null;
        error = null;
        text = text.Trim();
        if (text.Length == 0)
        {
            error = "empty address";
            return false;
        }

        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                error = $"'{text}': missing ']' after an IPv6 address";
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    error = $"'{text}': expected ':port' after ']'";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        else
        {
            // No colon, or several (a bare IPv6 address, which cannot carry a port without brackets).
            host = text;
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, out var value) || value is < 0 or > 65535)
            {
                error = $"'{text}': port must be a number from 0 to 65535";
                return false;
            }

            port = value;
        }

        if (host.Length == 0)
        {
            error = $"'{text}': missing host";
            return false;
        }

        result = new HostPort(host, port);
        return true;
    }

    /// <summary>An IP literal as is; a name through the system resolver, IPv4 first because most test servers bind 127.0.0.1.</summary>
    public async Task<IPEndPoint> ResolveAsync(int defaultPort, CancellationToken ct)
    {
        var port = Port ?? defaultPort;
        if (IPAddress.TryParse(Host, out var literal))
        {
            return new IPEndPoint(literal, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(Host, ct).ConfigureAwait(false);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(chosen, port);
    }
}
