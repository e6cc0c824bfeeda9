using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit bench`: load generators that measure a server from the outside, ours or anyone's.</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench",
        "Measure a server from the outside: echo throughput and latency, how many idle connections it holds " +
        "and what each costs in memory, or a chat room's fan-out. Works against any echo server (Wirekit's engines or the C reference in " +
        "shared/baseline), so figures can be given as ratios measured in the same run.")
    {
        BenchEchoCommand.Create(),
        BenchConnectionsCommand.Create(),
        BenchChatCommand.Create(),
    };

    public static Option<string> Host() => new("--host")
    {
        Description = "Server address or name. Loopback by default: load tests stay on this machine.",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static Option<int> Port() => new("--port")
    {
        Description = "Server port (25000 is the echo default, the seed's).",
        DefaultValueFactory = _ => DefaultPorts.Echo,
    };

    /// <summary>Resolves the host to an IPv4 endpoint when it has one (the servers bind IPv4 by default).</summary>
    public static async Task<IPEndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"'{host}' has no address");
        return new IPEndPoint(chosen, port);
    }
}
