using System.Net;
using System.Text.RegularExpressions;

namespace Wirekit.Diagnostics.Ftp;

/// <summary>Where to open the data connection, from a 229 (EPSV, RFC 2428) or 227 (PASV, RFC 959) reply. Pure.</summary>
internal static partial class PassiveReply
{
    /// <summary>229 "Entering Extended Passive Mode (|||6446|)": only a port; the host is the control connection's.</summary>
    public static bool TryParseExtended(string text, IPAddress controlAddress, out IPEndPoint? endPoint)
    {
        endPoint = null;
        var match = ExtendedPattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups["port"].Value, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        endPoint = new IPEndPoint(controlAddress, port);
        return true;
    }

    /// <summary>
    /// 227 "Entering Passive Mode (h1,h2,h3,h4,p1,p2)". The address given is ignored in favour of the control
    /// connection's: a server behind NAT often reports a private address, and trusting it lets a hostile server
    /// aim our data connection at a third host (the FTP bounce problem).
    /// </summary>
    public static bool TryParse(string text, IPAddress controlAddress, out IPEndPoint? endPoint)
    {
        endPoint = null;
        var match = PassivePattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var numbers = match.Groups["n"].Captures.Select(c => int.Parse(c.Value)).ToArray();
        if (numbers.Length != 6 || numbers.Any(n => n > 255))
        {
            return false;
        }

        var port = numbers[4] * 256 + numbers[5];
        if (port == 0)
        {
            return false;
        }

        endPoint = new IPEndPoint(controlAddress, port);
        return true;
    }

    // [0-9], not \d: \d also matches other scripts' digits (U+0663 ...), which int.Parse then refuses with an exception.
    [GeneratedRegex(@"\(\|\|\|(?<port>[0-9]{1,5})\|\)")]
    private static partial Regex ExtendedPattern();

    [GeneratedRegex(@"(?<n>[0-9]{1,3})(?:,(?<n>[0-9]{1,3})){5}")]
    private static partial Regex PassivePattern();
}
