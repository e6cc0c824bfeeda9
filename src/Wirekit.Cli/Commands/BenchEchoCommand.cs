using System.CommandLine;
using Microsoft.Extensions.Logging;
using Wirekit.Bench;
using Wirekit.Cli.Bench;
using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit bench echo`: messages/s, MiB/s and round-trip percentiles against an echo server.</summary>
internal static class BenchEchoCommand
{
    public static Command Create()
    {
        var server = BenchCommand.Server();
        var profile = new Option<string?>("--profile")
        {
            Description = "A standard setup: throughput = 32 B messages, 1000 in flight per client (how much the " +
                          "server moves); pingpong = 32 B, 1 in flight (what one round trip costs). " +
                          "--messages and --size still override it.",
        };
        profile.AcceptOnlyFromAmong("throughput", "pingpong");
        var clients = new Option<int>("--clients", "-c")
        {
            Description = "Connections to open, each with TCP_NODELAY.",
            DefaultValueFactory = _ => 1,
        };
        var messages = new Option<int?>("--messages", "-m")
        {
            Description = "Messages kept in flight per connection: whenever n bytes come back, n more are sent, so the " +
                          "server always has work queued. Default 1000, or the profile's.",
        };
        var size = new Option<int?>("--size", "-s") { Description = "Bytes per message. Default 32, or the profile's." };
        var seconds = new Option<double>("--seconds", "-t")
        {
            HelpName = "seconds",
            Description = "Measured time in seconds, after the warm-up.",
            DefaultValueFactory = _ => 10,
        };
        var warmup = new Option<double>("--warmup")
        {
            HelpName = "seconds",
            Description = "Seconds of load before measuring, left out of every figure (JIT, TCP windows, pools).",
            DefaultValueFactory = _ => 1,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Client worker threads. On a machine with few cores each extra client thread takes CPU from " +
                          "the server being measured, when both run here.",
            DefaultValueFactory = _ => 1,
        };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var quiet = CommonOptions.Quiet();

        var command = new Command("echo",
            "Load an echo server over N connections, each keeping M messages in flight, and print messages/s, MiB/s, " +
            "round-trip latency p50/p99/p99.9 (HdrHistogram), errors and failed connections. A drain after the measured " +
            "time checks that every byte sent came back. With --tls each connection handshakes first, before the warm-up, " +
            "so the rates are the steady state of TLS traffic and the handshake time is reported on its own.")
        {
            server, profile, clients, messages, size, seconds, warmup, threads, json, verbose, quiet,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var pingpong = parse.GetValue(profile) == "pingpong";
            var address = ServerAddress.Read(parse.GetValue(server), DefaultPorts.Echo);
            var options = new EchoLoadOptions
            {
                Target = await BenchCommand.ResolveAsync(address, ct),
                Tls = tls.ReadHandshake(parse, address.Host),
                Clients = parse.GetValue(clients),
                MessagesInFlight = parse.GetValue(messages) ?? (pingpong ? 1 : 1000),
                MessageSize = parse.GetValue(size) ?? 32,
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
                Threads = parse.GetValue(threads),
            };
            if (options.Problem() is { } problem)
            {
                throw new OptionProblemMessage()
                    .Map(nameof(EchoLoadOptions.Clients), clients)
                    .Map(nameof(EchoLoadOptions.MessagesInFlight), messages)
                    .Map(nameof(EchoLoadOptions.MessageSize), size)
                    .Map(nameof(EchoLoadOptions.BytesInFlight), $"{messages.Name} x {size.Name}")
                    .Map(nameof(EchoLoadOptions.Duration), seconds)
                    .Map(nameof(EchoLoadOptions.Warmup), warmup)
                    .Map(nameof(EchoLoadOptions.Threads), threads)
                    .Failure(problem);
            }

            using var logging = BenchCommand.Logging(parse.GetValue(verbose), parse.GetValue(quiet));
            return await RunAsync(Console.Out, options, parse.GetValue(json), logging.CreateLogger("bench"), ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        TextWriter output, EchoLoadOptions options, bool asJson, ILogger logger, CancellationToken cancellationToken)
    {
        var recorders = new List<HdrLatencyRecorder>();
        var result = await EchoLoadGenerator.RunAsync(options, () =>
        {
            var recorder = new HdrLatencyRecorder();
            lock (recorders)
            {
                recorders.Add(recorder);
            }

            return recorder;
        }, logger, cancellationToken);
        // Failure only when nothing could be measured; broken connections are reported, not fatal. Said before any
        // report, so --json prints the error object alone.
        if (result.FailedConnections == options.Clients)
        {
            throw new CommandFailure($"no connection to {options.Target} could be opened (is the server running? --verbose says why)");
        }

        // Every connection opened and then broke before one echo came back: nothing was measured either.
        if (result.FailedConnections + result.Errors >= options.Clients && result.Messages == 0)
        {
            throw new CommandFailure($"every connection to {options.Target} broke before an echo came back ({result.Errors} reset or closed by the server; --verbose says why)");
        }

        var report = EchoBenchReport.From(options, result, LatencySummary.From(HdrLatencyRecorder.Merge(recorders)));
        if (asJson)
        {
            output.WriteLine(CliJson.Serialize(report));
        }
        else
        {
            report.WriteText(output);
        }

        return ExitCodes.Success;
    }
}
