using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit bench`: load generators that measure a server from the outside, ours or anyone's.</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench",
        "Measure a server from the outside: echo throughput and round-trip latency, how many idle connections it holds " +
        "and what each costs in memory, or a chat room's fan-out. Works against any echo server, Wirekit's or not, so " +
        "two servers can be compared on the same machine in the same run.")
    {
        BenchEchoCommand.Create(),
        BenchConnectionsCommand.Create(),
        BenchChatCommand.Create(),
    };

    /// <summary>The server under load, as every client names one: <c>[host[:port]]</c>, loopback by default (load tests stay on this machine).</summary>
    public static Argument<string[]> Server() => ServerAddress.Argument(DefaultPorts.Echo);

    /// <summary>Warnings only by default, everything with --verbose, errors only with --quiet (then only the result is printed).</summary>
    public static ILoggerFactory Logging(bool verbose, bool quiet) => LoggerFactory.Create(b => b
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(verbose ? LogLevel.Debug : quiet ? LogLevel.Error : LogLevel.Warning));

    /// <summary>Resolves the server to an IPv4 endpoint when it has one (the servers bind IPv4 by default).</summary>
    public static async Task<IPEndPoint> ResolveAsync(ServerAddress server, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(server.Host, out var address))
        {
            return new IPEndPoint(address, server.Port);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(server.Host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new CommandFailure($"{server.Host}: cannot resolve: {char.ToLowerInvariant(e.Message[0])}{e.Message[1..]}");
        }

        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new CommandFailure($"{server.Host} has no address");
        return new IPEndPoint(chosen, server.Port);
    }
}
