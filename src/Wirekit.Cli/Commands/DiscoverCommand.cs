using System.CommandLine;
using System.Net;
using System.Text.Json;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit discover`: listen for the servers started with --announce (docs/discovery.md) and list them.</summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds", "-s")
        {
            Description = "How long to listen. Servers announce every 3 seconds, so the default hears each at least once.",
            DefaultValueFactory = _ => 4,
        };
        var port = new Option<int>("--port", "-p")
        {
            Description = "Discovery port the servers announce to.",
            DefaultValueFactory = _ => DefaultPorts.Discovery,
        };
        var bind = new Option<string>("--bind")
        {
            Description = "Local address to listen on. Broadcasts only reach a socket bound to 0.0.0.0 (or the broadcast address).",
            DefaultValueFactory = _ => IPAddress.Any.ToString(),
        };
        var json = CommonOptions.Json();
        var timeout = CommonOptions.Timeout(0);
        timeout.Description = "Hard limit in seconds for the whole run, should --seconds be long (0: none).";
        var command = new Command("discover",
            "List the Wirekit servers on the local network that announce themselves (servers started with --announce " +
            "broadcast their service, version, port and name every few seconds). Exit code 1 when none was heard.")
        {
            seconds, port, bind, json, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                Console.Error.WriteLine($"error: '{parse.GetValue(bind)}' is not an IP address");
                return 1;
            }

            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            if (parse.GetValue(timeout) is > 0 and var limit && limit < duration.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(limit);
            }

            return await RunAsync(new IPEndPoint(address, parse.GetValue(port)), duration, parse.GetValue(json), Console.Out, Console.Error, ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        IPEndPoint bind, TimeSpan duration, bool asJson, TextWriter output, TextWriter error, CancellationToken ct)
    {
        DiscoveryListener listener;
        try
        {
            listener = new DiscoveryListener(bind);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: cannot listen on udp {bind}: {e.SocketErrorCode}");
            return 1;
        }

        using (listener)
        {
            error.WriteLine($"listening for announcements on udp {listener.LocalEndPoint} for {duration.TotalSeconds:0.#} s...");
            IReadOnlyList<DiscoveredServer> servers;
            try
            {
                servers = await listener.ListenAsync(duration, ct);
            }
            catch (OperationCanceledException)
            {
                return 1;
            }

            if (asJson)
            {
                output.WriteLine(JsonSerializer.Serialize(servers.Select(s => new
                {
                    service = s.Info.Service,
                    version = s.Info.Version,
                    address = s.Address.ToString(),
                    port = s.Info.Port,
                    name = s.Info.Name,
                    heard = s.Times,
                }), new JsonSerializerOptions { WriteIndented = true }));
            }
            else if (servers.Count > 0)
            {
                output.WriteLine($"{"service",-10} {"version",-10} {"endpoint",-24} {"name",-24} heard");
                foreach (var s in servers)
                {
                    output.WriteLine($"{s.Info.Service,-10} {s.Info.Version,-10} {s.ServiceEndPoint,-24} {s.Info.Name,-24} {s.Times}x");
                }
            }

            if (servers.Count == 0)
            {
                error.WriteLine($"error: no Wirekit server announced itself on port {bind.Port} within {duration.TotalSeconds:0.#} s");
                return 1;
            }

            return 0;
        }
    }
}
