using System.CommandLine;
using System.Globalization;
using System.Net;
using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Commands;

/// <summary>
/// The one way every client names a server: <c>[host[:port]]</c>, IPv6 in brackets (<c>[::1]:25000</c>), a bare
/// IPv6 literal taken whole (<c>::1</c>), and the seed's positional <c>host port</c> kept because people type it.
/// </summary>
internal readonly record struct ServerAddress(string Host, int Port)
{
    public const string DefaultHost = "127.0.0.1";

    /// <summary>What people type back: <c>127.0.0.1:25000</c>, <c>[::1]:25000</c>.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>An optional <c>[host[:port]] [port]</c> argument (0 to 2 words), for clients whose only positional is the server.</summary>
    public static Argument<string[]> Argument(int defaultPort) => new("server")
    {
        Description = $"Server as HOST[:PORT] ([::1]:{defaultPort} for IPv6; `HOST PORT` works too). Default {DefaultHost}:{defaultPort}.",
        Arity = new ArgumentArity(0, 2),
        HelpName = "host[:port]",
    };

    /// <summary>Reads the words of <see cref="Argument"/>; a malformed address is a usage error (exit 2).</summary>
    public static ServerAddress Read(IReadOnlyList<string>? words, int defaultPort)
    {
        words ??= [];
        if (words.Count == 0)
        {
            return new ServerAddress(DefaultHost, defaultPort);
        }

        var address = Parse(words[0], defaultPort);
        if (words.Count == 1)
        {
            return address;
        }

        if (address.Port != defaultPort && HasPort(words[0]))
        {
            throw CommandFailure.Usage($"'{words[0]}' already names a port; drop '{words[1]}' or write {address.Host} {words[1]}");
        }

        return address with { Port = ParsePort(words[1]) };
    }

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6]</c>, <c>[v6]:port</c> or a bare IPv6 literal.</summary>
    public static ServerAddress Parse(string text, int defaultPort)
    {
        if (!TryParse(text, defaultPort, out var address, out var problem))
        {
            throw CommandFailure.Usage(problem);
        }

        return address;
    }

    public static bool TryParse(string text, int defaultPort, out ServerAddress address, out string problem)
    {
        address = default;
        problem = string.Empty;
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                problem = $"'{text}' is not an address: write IPv6 as [::1] or [::1]:PORT";
                return false;
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') > 1)
        {
            host = text; // a bare IPv6 literal: its colons are not a port separator
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            problem = text.Length == 0 ? "the server address is empty" : $"'{text}' has no host name";
            return false;
        }

        if (text.StartsWith('[') && !IPAddress.TryParse(host, out _))
        {
            problem = $"'{host}' in brackets is not an IPv6 address";
            return false;
        }

        if (port is null)
        {
            address = new ServerAddress(host, defaultPort);
            return true;
        }

        if (!TryParsePort(port, out var number))
        {
            problem = $"'{port}' in '{text}' is not a port (1-65535)";
            return false;
        }

        address = new ServerAddress(host, number);
        return true;
    }

    /// <summary>A port a client connects to: 1-65535 (0 only means "any" to a server that binds).</summary>
    public static int ParsePort(string text)
        => TryParsePort(text, out var port) ? port : throw CommandFailure.Usage($"'{text}' is not a port (1-65535)");

    public static bool TryParsePort(string text, out int port)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;

    /// <summary>Whether <paramref name="word"/> reads as a server rather than a file name: an IP literal, localhost, or anything with :PORT.</summary>
    public static bool LooksLikeServer(string word)
    {
        if (!TryParse(word, 1, out var address, out _))
        {
            return false;
        }

        return HasPort(word) || IPAddress.TryParse(address.Host, out _) || address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasPort(string text)
        => text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
}
