using System.CommandLine;
using System.Diagnostics;
using System.Net;
using HdrHistogram;
using Wirekit.Bench.Chat;
using Wirekit.Chat;
using Wirekit.Cli.Bench;
using Wirekit.Cli.Invocation;
using Wirekit.Engines;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit bench chat`: fan-out throughput and latency of the chat server, run in this process.</summary>
internal static class BenchChatCommand
{
    private const long MaxLatencyMicroseconds = 60_000_000;

    public static Command Create()
    {
        var server = new Argument<string[]>("server")
        {
            Description = "A chat server already running to load instead of one started here (HOST:PORT or HOST PORT); its " +
                "rate limit and repeat check must be off (`chat serve --rate-limit 0 --max-repeats 0`), or the senders are dropped as flooders. " +
                "Needed for --tls: the server started here speaks plaintext.",
            Arity = new ArgumentArity(0, 2),
            HelpName = "host[:port]",
        };
        var servers = new Option<string>("--servers")
        {
            Description = "Chat servers that hold one room through a backplane (`chat serve --backplane URL`), instead of the server argument: " +
                "members, and the senders among them, are spread over them round-robin; a message sent on one and received on another counts " +
                "like any delivery, and the report adds each server's counts. Each needs its rate limit and repeat check off, as a single server does.",
            HelpName = "host:port,host:port,...",
        };
        var clients = new Option<int>("--clients", "-c") { Description = "Members in the room; each receives every message, so deliveries = messages x clients.", DefaultValueFactory = _ => 100 };
        var senders = new Option<int>("--senders") { Description = "How many of the members send (the rate is split between them).", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate", "-r") { Description = "Messages per second from all senders together; 0 = as fast as the server takes them (expect slow members to be dropped).", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds", "-t") { Description = "How long to send.", DefaultValueFactory = _ => 5, HelpName = "seconds" };
        // A string, so help shows the default as it is typed ("async"), not as the enum prints it.
        var engine = new Option<string>("--engine", "-e") { Description = "I/O model of the chat server under test: one thread per client, one select loop, or async I/O.", DefaultValueFactory = _ => "async" };
        engine.AcceptOnlyFromAmong("threads", "select", "async");
        var queueLimit = new Option<int>("--queue-limit") { Description = "Bytes each member may have queued at the server; a member that lags further is dropped and counted as lost.", DefaultValueFactory = _ => 4 * 1024 * 1024, HelpName = "bytes" };
        var json = CommonOptions.Json();
        // Accepted as every bench takes it; the report is all this one prints (its server has no logger).
        var quiet = CommonOptions.Quiet();
        var command = new Command("chat",
            "Start a chat server in this process (rate limit and repeat checks off), connect the members over loopback, " +
            "send timestamped messages and report deliveries per second and fan-out latency (send to each receiver) p50/p99 " +
            "from HdrHistogram. Client and server share the machine's cores, so the figure is a floor for the server.")
        {
            server, servers, clients, senders, rate, seconds, engine, queueLimit, json, quiet,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var nodes = parse.GetValue(servers) is { } list ? ReadServers(list) : null;
            var words = parse.GetValue(server);
            if (nodes is not null && words is { Length: > 0 })
            {
                throw CommandFailure.Usage("--servers replaces the server argument: give the servers one way or the other");
            }

            IReadOnlyList<ServerAddress>? remote = nodes ?? (words is { Length: > 0 } ? [ServerAddress.Read(words, DefaultPorts.Chat)] : null);
            // Each member verifies its own node under the name it was given by (filled once the addresses are resolved).
            var hostOf = new Dictionary<IPEndPoint, string>();
            var firstHost = remote?[0].Host ?? ServerAddress.DefaultHost;
            var handshake = tls.ReadHandshake(parse, socket => socket.RemoteEndPoint is IPEndPoint node && hostOf.TryGetValue(node, out var host) ? host : firstHost);
            if (handshake is not null && remote is null)
            {
                throw CommandFailure.Usage("the chat server started here speaks plaintext: give the address of a TLS chat server to bench with --tls");
            }

            var options = new ChatBenchOptions
            {
                Tls = handshake,
                Clients = parse.GetValue(clients),
                Senders = parse.GetValue(senders),
                Rate = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
            };
            if (options.Problem() is { } problem)
            {
                throw new OptionProblemMessage()
                    .Map(nameof(ChatBenchOptions.Clients), clients)
                    .Map(nameof(ChatBenchOptions.Senders), senders)
                    .Map(nameof(ChatBenchOptions.Rate), rate)
                    .Map(nameof(ChatBenchOptions.Duration), seconds)
                    .Failure(problem);
            }

            if (remote is not null)
            {
                var targets = new List<IPEndPoint>(remote.Count);
                foreach (var address in remote)
                {
                    var target = await BenchCommand.ResolveAsync(address, cancellationToken);
                    targets.Add(target);
                    hostOf[target] = address.Host;
                }

                return await RunRemoteAsync(targets, perNode: nodes is not null, options, Console.Out, parse.GetValue(json), cancellationToken);
            }

            return await RunAsync(Enum.Parse<EngineKind>(parse.GetValue(engine)!, ignoreCase: true), parse.GetValue(queueLimit), options, Console.Out, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(EngineKind engine, int queueLimit, ChatBenchOptions options, TextWriter output, bool asJson, CancellationToken cancellationToken)
    {
        // Every member must be admitted, whatever the engine's own default limit (threads: 1,000).
        var server = new ServerOptions { NoDelay = true, MaxQueuedBytes = queueLimit, MaxConnections = options.Clients + 1 };
        var chat = new ChatOptions { RateLimit = 0, MaxRepeats = 0 };
        await using var host = ServerHost.Start(engine, server, new ChatService(chat));
        return await MeasureAsync([new IPEndPoint(IPAddress.Loopback, host.LocalEndPoint.Port)], engine, perNode: false, options, output, asJson, cancellationToken);
    }

    /// <summary>
    /// `bench chat HOST:PORT`: a server somebody else started (for TLS, one in front of which TLS ends); `--servers`:
    /// several holding one room, each node's counts reported when <paramref name="perNode"/>.
    /// </summary>
    internal static Task<int> RunRemoteAsync(IReadOnlyList<IPEndPoint> targets, bool perNode, ChatBenchOptions options, TextWriter output, bool asJson, CancellationToken cancellationToken)
        => MeasureAsync(targets, engine: null, perNode, options, output, asJson, cancellationToken);

    /// <summary>`--servers a:1,b:2`: each a HOST:PORT as the server argument takes it (the chat port by default).</summary>
    private static List<ServerAddress> ReadServers(string list)
    {
        var addresses = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(text => ServerAddress.Parse(text, DefaultPorts.Chat))
            .ToList();
        return addresses.Count > 0 ? addresses : throw CommandFailure.Usage("--servers needs at least one HOST:PORT");
    }

    private static async Task<int> MeasureAsync(
        IReadOnlyList<IPEndPoint> targets, EngineKind? engine, bool perNode, ChatBenchOptions options, TextWriter output, bool asJson, CancellationToken cancellationToken)
    {
        var histograms = new LongHistogram[options.Clients];
        var result = await ChatBench.RunAsync(
            targets,
            options,
            index =>
            {
                var histogram = histograms[index] = new LongHistogram(MaxLatencyMicroseconds, 3);
                return ticks => histogram.RecordValue(Math.Clamp(ticks * 1_000_000 / Stopwatch.Frequency, 0, MaxLatencyMicroseconds));
            },
            cancellationToken);

        var latency = new LongHistogram(MaxLatencyMicroseconds, 3);
        foreach (var histogram in histograms.Where(h => h is not null))
        {
            latency.Add(histogram);
        }

        var report = ChatBenchReport.From(engine, options, result, latency) with
        {
            Server = engine is null ? string.Join(',', targets) : null,
            Tls = options.Tls is not null,
            Nodes = perNode ? ChatBenchReport.NodeCounts.From(result) : null,
        };
        if (asJson)
        {
            await output.WriteLineAsync(CliJson.Serialize(report));
        }
        else
        {
            report.WriteText(output);
        }

        return ExitCodes.Success;
    }
}
