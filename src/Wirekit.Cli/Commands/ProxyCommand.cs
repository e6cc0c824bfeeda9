using System.CommandLine;
using System.Net;
using Wirekit.Cli.Hosting;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;
using Wirekit.Proxy;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit proxy`: a TCP forwarder that injects faults on demand. Its run is in ProxyCommand.Run.cs.</summary>
internal static partial class ProxyCommand
{
    public const int DefaultListenPort = 26000;

    // A read larger than this buys nothing (the kernel rarely has more ready at once) and costs memory per connection.
    private const int MaxBufferBytes = 4 * 1024 * 1024;

    /// <summary>Each fault as three options: both directions, client to target only, target to client only.</summary>
    private sealed record FaultOptions(string Name, Option<string?>? Both, Option<string?>? Up, Option<string?>? Down, Option<bool>? BothSwitch, Option<bool>? UpSwitch, Option<bool>? DownSwitch);

    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port the proxy listens on (clients connect here instead of to the target); port 0 picks a free one.",
            DefaultValueFactory = _ => $"127.0.0.1:{DefaultListenPort}",
            HelpName = "addr:port",
        };
        var target = new Option<string>("--target")
        {
            Description = "The TCP service behind the proxy, as host:port (any TCP service: Wirekit's servers, nginx, ssh ...).",
            Required = true,
            HelpName = "host:port",
        };
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = "Most connections forwarded at once; one more is reset at accept, so the proxy's memory stays bounded.",
            DefaultValueFactory = _ => new ProxyOptions { TargetHost = "", TargetPort = 1 }.MaxConnections,
        };
        var buffer = new Option<int>("--buffer")
        {
            Description = "Bytes read at once per direction, at most 4 MiB (one pooled buffer each way per connection; --latency holds up to 16 more).",
            DefaultValueFactory = _ => 64 * 1024,
            HelpName = "bytes",
        };
        var json = CommonOptions.Json();
        json.Description = "On exit, print the totals as JSON (docs/json.md) instead of the `proxy stopped:` line; control replies go to stderr.";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only warnings and errors: no banner, no per-connection lines.";
        var verbose = CommonOptions.Verbose();
        var command = new Command("proxy",
            "Forward TCP from --listen to --target and misbehave on demand: latency, a thin pipe, small writes, resets, a " +
            "zombie peer, flipped bits, a full window. Put it between any client and server to see how they cope with " +
            "the failures real networks have. Each fault acts on both directions, or with --up-/--down- on bytes to the " +
            "target or back to the client only (--down-latency 100). Type commands on stdin while it runs: `add latency " +
            "200`, `remove latency`, `list`, `cut`, `restore`, `help`. Each connection ends with one line: bytes each way, " +
            "the faults that acted, how it ended. Ctrl+C closes every connection and exits 0.")
        {
            listen, target, maxConnections, buffer, json, quiet, verbose,
        };
        var faults = FaultSyntax.All.Select(fault => AddFault(command, fault.Name, fault.ValueName, fault.Help)).ToList();
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ProxyOptions
            {
                Listen = ListenEndPoint(parse.GetValue(listen)!),
                TargetHost = Target(parse.GetValue(target)!).Host,
                TargetPort = Target(parse.GetValue(target)!).Port,
                MaxConnections = Positive(parse.GetValue(maxConnections), "--max-connections"),
                BufferBytes = Math.Min(Positive(parse.GetValue(buffer), "--buffer"), MaxBufferBytes),
                Up = Faults(parse, faults, ProxyDirection.Up),
                Down = Faults(parse, faults, ProxyDirection.Down),
            };
            using var loggers = CliLogging.Create(parse.GetValue(verbose), parse.GetValue(quiet));
            return await RunAsync(options, new ProxyConsole(Console.Out, Console.Error, parse.GetValue(json), parse.GetValue(quiet)), Console.In, loggers, cancellationToken);
        });
        return command;
    }

    private static FaultOptions AddFault(Command command, string name, string valueName, string help)
    {
        if (valueName.Length == 0)
        {
            var both = new Option<bool>($"--{name}") { Description = $"{Capital(help)}, both directions." };
            var up = new Option<bool>($"--up-{name}") { Description = $"As --{name}, on bytes from the client only." };
            var down = new Option<bool>($"--down-{name}") { Description = $"As --{name}, on bytes from the target only." };
            command.Options.Add(both);
            command.Options.Add(up);
            command.Options.Add(down);
            return new FaultOptions(name, null, null, null, both, up, down);
        }

        Option<string?> Valued(string prefix, string description) => new($"--{prefix}{name}") { Description = description, HelpName = valueName.ToLowerInvariant() };
        var bothValued = Valued(string.Empty, $"{Capital(help)}, both directions.");
        var upValued = Valued("up-", $"As --{name}, on bytes from the client to the target only.");
        var downValued = Valued("down-", $"As --{name}, on bytes from the target to the client only.");
        command.Options.Add(bothValued);
        command.Options.Add(upValued);
        command.Options.Add(downValued);
        return new FaultOptions(name, bothValued, upValued, downValued, null, null, null);
    }

    /// <summary>The both-ways option first, then the one for this direction, which wins where both are given.</summary>
    private static ProxyFaults Faults(System.CommandLine.ParseResult parse, IEnumerable<FaultOptions> options, ProxyDirection direction)
    {
        var faults = ProxyFaults.None;
        foreach (var fault in options)
        {
            var side = direction == ProxyDirection.Up ? "up-" : "down-";
            var values = fault.Both is null
                ? new[] { ($"--{fault.Name}", parse.GetValue(fault.BothSwitch!) ? string.Empty : null), ($"--{side}{fault.Name}", parse.GetValue(direction == ProxyDirection.Up ? fault.UpSwitch! : fault.DownSwitch!) ? string.Empty : null) }
                : new[] { ($"--{fault.Name}", parse.GetValue(fault.Both)), ($"--{side}{fault.Name}", parse.GetValue(direction == ProxyDirection.Up ? fault.Up! : fault.Down!)) };
            foreach (var (option, value) in values.Where(v => v.Item2 is not null))
            {
                if (!FaultSyntax.TryApply(faults, fault.Name, value, out faults, out var error))
                {
                    // The syntax names the fault ("latency: ..."); the command line names the option that was typed.
                    throw CommandFailure.Usage($"{option}: {(error!.StartsWith(fault.Name + ": ", StringComparison.Ordinal) ? error[(fault.Name.Length + 2)..] : error)}");
                }
            }
        }

        return faults;
    }

    private static IPEndPoint ListenEndPoint(string text)
    {
        if (!HostPort.TryParse(text, out var parsed, out var error))
        {
            throw CommandFailure.Usage($"--listen: {error}");
        }

        var host = parsed.Value.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" : parsed.Value.Host;
        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, parsed.Value.Port ?? DefaultListenPort)
            : throw CommandFailure.Usage($"--listen: '{text}' is not an address of this host (an IP address such as 127.0.0.1 or 0.0.0.0)");
    }

    private static ServerAddress Target(string text)
        => HostPort.TryParse(text, out var parsed, out _) && parsed.Value.Port is null
            ? throw CommandFailure.Usage($"--target: '{text}' needs a port (host:port)")
            : ServerAddress.Parse(text, 0);

    private static int Positive(int value, string name) => value >= 1 ? value : throw CommandFailure.Usage($"{name}: {value} is not 1 or more");

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
