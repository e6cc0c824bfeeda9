using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Wirekit.Diagnostics;

/// <summary>
/// Parses a line of /proc/net/{tcp,tcp6,udp,udp6} (the data behind `ss -tanp` and the seed's `netstat -ano`).
/// Pure: text in, entry out. Addresses are printed by the kernel as the raw 32-bit words of the network-order
/// address in host byte order, so on little-endian machines each 4-byte word reads reversed.
/// </summary>
internal static class ProcNetParser
{
    // include/net/tcp_states.h; UDP reuses ESTABLISHED (connected) and CLOSE (bound only, `ss` says UNCONN).
    private static readonly string[] TcpStates =
    [
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    ];

    // The kernel prints fixed-width hex digits and nothing else. uint.TryParse alone also takes padding whitespace (HexNumber)
    // and trailing NULs (any style), so "0100007F:1F9\t" or "...:003\0" read as ports the line never said (found by fuzz/ proc-net).
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static bool TryParseLine(string protocol, string line, out SocketEntry? entry)
    {
        entry = null;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...; the header line fails the checks below.
        if (fields.Length < 10 || !fields[0].EndsWith(':'))
        {
            return false;
        }

        if (!TryParseEndPoint(fields[1], out var local) || !TryParseEndPoint(fields[2], out var remote)
            || !TryParseHex(fields[3], out var stateCode)
            || !int.TryParse(fields[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid)
            || !long.TryParse(fields[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
        {
            return false;
        }

        var isUdp = protocol.StartsWith("udp", StringComparison.Ordinal);
        var state = isUdp
            ? stateCode == 1 ? "ESTAB" : "UNCONN"
            : stateCode < (uint)TcpStates.Length ? TcpStates[stateCode] : $"0x{stateCode:X2}";
        entry = new SocketEntry(protocol, local!, remote!, state, inode, uid);
        return true;
    }

    /// <summary>"0100007F:1F90" (IPv4) or 32 hex digits ":PORT" (IPv6); the port is plain hex.</summary>
    public static bool TryParseEndPoint(string text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        var colon = text.IndexOf(':');
        if (colon is not (8 or 32) || colon + 5 != text.Length
            || !TryParseHex(text.AsSpan(colon + 1), out var port))
        {
            return false;
        }

        var address = new byte[colon / 2];
        for (var word = 0; word < address.Length / 4; word++)
        {
            if (!TryParseHex(text.AsSpan(word * 8, 8), out var value))
            {
                return false;
            }

            // The word was stored from network-order bytes and printed as a host-order number.
            var bytes = address.AsSpan(word * 4, 4);
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            }
        }

        endPoint = new IPEndPoint(new IPAddress(address), (int)port);
        return true;
    }

    private static bool TryParseHex(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        return !text.IsEmpty && !text.ContainsAnyExcept(HexDigits)
            && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
