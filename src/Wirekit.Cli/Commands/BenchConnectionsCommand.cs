using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wirekit.Bench;
using Wirekit.Cli.Bench;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit bench connections`: how many idle connections a server holds, and what each costs it.</summary>
internal static class BenchConnectionsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var host = BenchCommand.Host();
        var port = BenchCommand.Port();
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
            Description = "The server's process id: its resident memory (VmRSS) is read before and after, " +
                          "giving the memory each connection costs the server.",
        };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("connections",
            "Open N idle connections to an echo server, check each still echoes (a few bytes there and back) once " +
            "all are open, and report how many held, the failures, and with --server-pid the server's RSS per connection.")
        {
            host, port, count, perSource, serverPid, json, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new IdleConnectionOptions
            {
                Target = await BenchCommand.ResolveAsync(parse.GetValue(host)!, parse.GetValue(port), ct),
                Count = parse.GetValue(count),
                ConnectionsPerSource = parse.GetValue(perSource),
            };
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 2;
            }

            using var logging = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning));
            return await RunAsync(Console.Out, options, parse.GetValue(serverPid), parse.GetValue(json),
                logging.CreateLogger("bench"), ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        TextWriter output, IdleConnectionOptions options, int? serverPid, bool asJson, ILogger logger,
        CancellationToken cancellationToken)
    {
        var before = serverPid is { } pid ? ProcessMemory.ReadResidentBytes(pid) : null;
        using var set = await IdleConnectionSet.OpenAsync(options, logger, cancellationToken);
        var held = await set.CountEchoingAsync(cancellationToken);
        var after = serverPid is { } pid2 ? ProcessMemory.ReadResidentBytes(pid2) : null;
        var report = new ConnectionsBenchReport(
            options.Target.ToString(), set.Requested, set.Opened, held, set.ConnectFailures, set.Opened - held,
            set.SourceAddresses, serverPid, before, after,
            before is { } b && after is { } a && held > 0 ? Math.Round((a - b) / 1024.0 / held, 2) : null);
        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(report, Indented));
        }
        else
        {
            report.WriteText(output);
        }

        return held == options.Count ? 0 : 1;
    }
}
