using System.CommandLine;
using Microsoft.Extensions.Logging;
using Wirekit.Bench;
using Wirekit.Cli.Bench;
using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit bench connections`: how many idle connections a server holds, what each costs it, and what it keeps once they close.</summary>
internal static class BenchConnectionsCommand
{
    public static Command Create()
    {
        var server = BenchCommand.Server();
        var count = new Option<int>("--count", "-n")
        {
            Description = "Idle connections to open. This process may hold 20,000 files, so keep it below that.",
            DefaultValueFactory = _ => 1000,
        };
        var perSource = new Option<int>("--per-source")
        {
            Description = "Connections per local address before moving to the next (127.0.0.1, .2, ...): one " +
                          "address has about 28,000 ephemeral ports, so large counts need several.",
            DefaultValueFactory = _ => 20_000,
        };
        var serverPid = new Option<int?>("--server-pid")
        {
            HelpName = "pid",
            Description = "The server's process id: its resident memory (VmRSS) is read before, with the connections " +
                          "open and after they close, giving the memory each connection costs the server and what it keeps.",
        };
        var cycles = new Option<int>("--cycles")
        {
            Description = "Open the connections, close them, wait for the server to close its side (its open sockets " +
                          "back to where they were, with --server-pid), and repeat this many times.",
            DefaultValueFactory = _ => 1,
        };
        var settle = new Option<double>("--settle")
        {
            HelpName = "seconds",
            Description = "Seconds to leave the server idle after the last cycle before a last RSS reading.",
            DefaultValueFactory = _ => 0,
        };
        var releaseTimeout = new Option<double>("--release-timeout")
        {
            HelpName = "seconds",
            Description = "Seconds to wait, after closing, for the server to close its side (with --server-pid); a server " +
                          "still holding connections then is reported, and the exit code is 1.",
            DefaultValueFactory = _ => 60,
        };
        var noCheck = new Option<bool>("--no-check")
        {
            Description = "Only hold the connections, without checking that each echoes (for servers that do not echo, such as chat).",
        };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var quiet = CommonOptions.Quiet();
        var command = new Command("connections",
            "Open N idle connections to an echo server, check each still echoes (a few bytes there and back) once " +
            "all are open, and report how many held, the failures, and with --server-pid the server's RSS per connection " +
            "and after they close (--cycles repeats it, --settle waits before a last reading). With --tls each connection " +
            "makes a full TLS handshake and the report gives handshakes per second.")
        {
            server, count, perSource, serverPid, cycles, settle, releaseTimeout, noCheck, json, verbose, quiet,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var address = ServerAddress.Read(parse.GetValue(server), DefaultPorts.Echo);
            var options = new IdleConnectionOptions
            {
                Target = await BenchCommand.ResolveAsync(address, ct),
                Tls = tls.ReadHandshake(parse, address.Host),
                Count = parse.GetValue(count),
                ConnectionsPerSource = parse.GetValue(perSource),
            };
            var repeat = new ConnectionCycleOptions
            {
                Cycles = parse.GetValue(cycles),
                ServerPid = parse.GetValue(serverPid),
                CheckEcho = !parse.GetValue(noCheck),
                Settle = TimeSpan.FromSeconds(parse.GetValue(settle)),
                ReleaseTimeout = TimeSpan.FromSeconds(parse.GetValue(releaseTimeout)),
            };
            if ((options.Problem() ?? repeat.Problem()) is { } problem)
            {
                throw new OptionProblemMessage()
                    .Map(nameof(IdleConnectionOptions.Count), count)
                    .Map(nameof(IdleConnectionOptions.ConnectionsPerSource), perSource)
                    .Map(nameof(ConnectionCycleOptions.Cycles), cycles)
                    .Map(nameof(ConnectionCycleOptions.Settle), settle)
                    .Map(nameof(ConnectionCycleOptions.ReleaseTimeout), releaseTimeout)
                    .Failure(problem);
            }

            using var logging = BenchCommand.Logging(parse.GetValue(verbose), parse.GetValue(quiet));
            return await RunAsync(Console.Out, options, repeat, parse.GetValue(json), logging.CreateLogger("bench"), ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        TextWriter output, IdleConnectionOptions options, ConnectionCycleOptions cycles, bool asJson, ILogger logger,
        CancellationToken cancellationToken, TextWriter? errors = null)
    {
        var result = await ConnectionCycles.RunAsync(options, cycles, logger, cancellationToken);
        var report = ConnectionsBenchReport.From(options, cycles, result);
        if (asJson)
        {
            output.WriteLine(CliJson.Serialize(report));
        }
        else
        {
            report.WriteText(output);
        }

        // Every cycle must hold every connection, and the server must close its side of each in time. The report is
        // the result either way (and stays the only document under --json); the line says why the exit code is 1.
        var problem = result.Cycles.FirstOrDefault(c => c.Held != options.Count) is { } lacking
            ? $"cycle {lacking.Number}: {lacking.Held:N0} of {options.Count:N0} connections held ({lacking.Requested - lacking.Opened:N0} not opened, {lacking.Opened - lacking.Held:N0} failed the echo check)"
            : result.Cycles.FirstOrDefault(c => c.ServerReleased == false) is { } kept
                ? $"cycle {kept.Number}: the server still held connections {cycles.ReleaseTimeout.TotalSeconds:0.#} s after they closed"
                : null;
        if (problem is null)
        {
            return ExitCodes.Success;
        }

        await (errors ?? Console.Error).WriteLineAsync($"error: {problem}");
        return ExitCodes.Failure;
    }
}
