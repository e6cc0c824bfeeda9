using System.CommandLine;
using System.Net;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>
/// `wirekit udp listen|send|chat|broadcast`: sendto/recvfrom and SO_BROADCAST, with datagram limits, truncation
/// and ICMP port-unreachable reported instead of thrown. One partial file per verb.
/// </summary>
internal static partial class UdpCommand
{
    public const int DefaultPort = DefaultPorts.Udp;

    public static Command Create()
    {
        var command = new Command("udp",
            "Send and receive UDP datagrams: listen, send, a two-way chat and subnet broadcast. UDP has no " +
            "connection and no delivery guarantee, so loss, truncation and 'port unreachable' are reported as they happen.");
        command.Subcommands.Add(CreateListen());
        command.Subcommands.Add(CreateSend());
        command.Subcommands.Add(CreateChat());
        command.Subcommands.Add(CreateBroadcast());
        return command;
    }

    private static Option<string> BindOption(string defaultAddress, string why) => new("--bind", "-b")
    {
        Description = why,
        DefaultValueFactory = _ => defaultAddress,
        HelpName = "address",
    };

    private static Option<bool> NulOption() => new("--nul")
    {
        Description = "End each datagram with one NUL byte, as C programs that send strings with sizeof or strlen+1 " +
                      "do; receivers written that way print nothing without it.",
    };

    /// <summary>How many datagrams to send (-n, as in the short-flag table: "how many to send").</summary>
    private static Option<int> CountOption(string description, int defaultCount)
    {
        var count = new Option<int>("--count", "-n") { Description = description, DefaultValueFactory = _ => defaultCount, HelpName = "count" };
        count.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var n) && n < 0)
            {
                result.AddError($"--count: {n} is not a count (0 or more)");
            }
        });
        return count;
    }

    private static bool TryParseAddress(string text, TextWriter error, out IPAddress address)
    {
        if (IPAddress.TryParse(text, out address!))
        {
            return true;
        }

        error.WriteLine($"error: '{text}' is not an IP address");
        return false;
    }

    /// <summary>An IP address option's value, or a usage error (exit 2) before any socket opens.</summary>
    private static IPAddress ParseAddress(string option, string text)
        => IPAddress.TryParse(text, out var address) ? address : throw CommandFailure.Usage($"{option}: '{text}' is not an IP address");

    /// <summary>A destination the user named; a name that does not resolve is a failure (exit 1), said in one line.</summary>
    private static async Task<IPEndPoint> ResolveAsync(ServerAddress destination, CancellationToken ct)
    {
        try
        {
            return await new HostPort(destination.Host, destination.Port).ResolveAsync(destination.Port, ct);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CommandFailure($"cannot resolve '{destination.Host}': {e.SocketErrorCode}");
        }
    }

    private static async Task<IPEndPoint?> ResolveAsync(string text, int defaultPort, TextWriter error, CancellationToken ct)
    {
        if (!HostPort.TryParse(text, out var parsed, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return null;
        }

        try
        {
            return await parsed.Value.ResolveAsync(defaultPort, ct);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: cannot resolve '{parsed.Value.Host}': {e.SocketErrorCode}");
            return null;
        }
    }

    private static CancellationTokenSource LinkedTimeout(double seconds, CancellationToken ct)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (seconds > 0)
        {
            source.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        return source;
    }
}
