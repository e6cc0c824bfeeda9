using System.CommandLine;
using System.Net;
using Wirekit.Cli.Invocation;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit discover`: listen for the servers started with --announce (docs/discovery.md) and list them.</summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds", "-t")
        {
            Description = "How long to listen. Servers announce every 3 seconds, so the default hears each at least once.",
            DefaultValueFactory = _ => 4,
        };
        var port = CommonOptions.ListenPort(DefaultPorts.Discovery, "Discovery port to listen on: the one the servers announce to.");
        var bind = new Option<string>("--bind", "-b")
        {
            Description = "Local address to listen on. Broadcasts only reach a socket bound to 0.0.0.0 (or the broadcast address).",
            DefaultValueFactory = _ => IPAddress.Any.ToString(),
            HelpName = "address",
        };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only the servers found (or the error), not the 'listening for announcements' line.";
        var command = new Command("discover",
            "List the Wirekit servers on the local network that announce themselves (servers started with --announce " +
            "broadcast their service, version, port and name every few seconds). Exit code 1 when none was heard.")
        {
            seconds, port, bind, json, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                throw CommandFailure.Usage($"--bind: '{parse.GetValue(bind)}' is not an IP address");
            }

            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            return await RunAsync(new IPEndPoint(address, parse.GetValue(port)), duration, parse.GetValue(json), Console.Out,
                parse.GetValue(quiet) ? TextWriter.Null : Console.Error, ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        IPEndPoint bind, TimeSpan duration, bool asJson, TextWriter output, TextWriter status, CancellationToken ct)
    {
        DiscoveryListener listener;
        try
        {
            listener = new DiscoveryListener(bind);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CommandFailure($"cannot listen on udp {bind}: {e.SocketErrorCode}");
        }

        using (listener)
        {
            status.WriteLine($"listening for announcements on udp {listener.LocalEndPoint} for {duration.TotalSeconds:0.#} s...");
            IReadOnlyList<DiscoveredServer> servers;
            try
            {
                servers = await listener.ListenAsync(duration, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }

            if (servers.Count == 0)
            {
                // Before any output: under --json the error object is then the only document on stdout.
                throw new CommandFailure($"no Wirekit server announced itself on port {bind.Port} within {duration.TotalSeconds:0.#} s");
            }

            if (asJson)
            {
                output.WriteLine(CliJson.Serialize(servers.Select(s => new ServerJson(
                    s.Info.Service, s.Info.Version, s.Address.ToString(), s.Info.Port, s.Info.Name, s.Times)).ToList()));
            }
            else
            {
                output.WriteLine($"{"SERVICE",-10} {"VERSION",-10} {"ENDPOINT",-24} {"NAME",-24} HEARD");
                foreach (var s in servers)
                {
                    output.WriteLine($"{s.Info.Service,-10} {s.Info.Version,-10} {s.ServiceEndPoint,-24} {s.Info.Name,-24} {s.Times}x");
                }
            }

            return ExitCodes.Success;
        }
    }

    /// <summary>One server heard, under --json (docs/json.md).</summary>
    internal sealed record ServerJson(string Service, string Version, string Address, int Port, string Name, int Heard);
}
