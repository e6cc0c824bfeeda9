using System.CommandLine;
using System.Globalization;
using System.Net;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

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

        if (HasPort(words[0]))
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

    /// <summary>The library's <see cref="HostPort"/> grammar, plus what a client needs: a port it can connect to, IPv6 in brackets.</summary>
    public static bool TryParse(string text, int defaultPort, out ServerAddress address, out string problem)
    {
        address = default;
        if (!HostPort.TryParse(text, out var parsed, out var error))
        {
            problem = error!;
            return false;
        }

        var (host, port) = (parsed.Value.Host, parsed.Value.Port ?? defaultPort);
        problem = port == 0 ? $"'{text}': port 0 cannot be connected to (1-65535)"
            : host.Any(char.IsWhiteSpace) ? $"'{text}': a host name has no spaces"
            : text.StartsWith('[') && !IPAddress.TryParse(host, out _) ? $"'{text}': only an IPv6 address goes in brackets"
            : string.Empty;
        address = new ServerAddress(host, port);
        return problem.Length == 0;
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
        => HostPort.TryParse(text, out var parsed, out _) && parsed.Value.Port is not null;
}
