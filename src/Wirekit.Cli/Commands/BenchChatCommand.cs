using System.CommandLine;
using System.Diagnostics;
using System.Net;
using HdrHistogram;
using Wirekit.Bench.Chat;
using Wirekit.Chat;
using Wirekit.Cli.Bench;
using Wirekit.Engines;

namespace Wirekit.Cli.Commands;

/// <summary>
/// `wirekit bench chat`: fan-out throughput and latency of the chat server. Registered on its own; the lead wires it
/// under `bench` next to `bench echo` when merging.
/// </summary>
internal static class BenchChatCommand
{
    private const long MaxLatencyMicroseconds = 60_000_000;

    /// <summary>`bench` holding only `chat`, for a branch without BenchCommand.cs; replaced by `bench`'s own at merge.</summary>
    public static Command Create()
    {
        var clients = new Option<int>("--clients", "-c") { Description = "Members in the room; each receives every message, so deliveries = messages x clients.", DefaultValueFactory = _ => 100 };
        var senders = new Option<int>("--senders", "-s") { Description = "How many of the members send (the rate is split between them).", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate", "-r") { Description = "Messages per second from all senders together; 0 = as fast as the server takes them (expect slow members to be dropped).", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds", "-t") { Description = "How long to send.", DefaultValueFactory = _ => 5 };
        var engine = new Option<EngineKind>("--engine", "-e") { Description = "I/O model of the in-process chat server under test: threads, select or async.", DefaultValueFactory = _ => EngineKind.Async };
        engine.AcceptOnlyFromAmong("threads", "select", "async");
        engine.CustomParser = result => Enum.Parse<EngineKind>(result.Tokens.Single().Value, ignoreCase: true);
        var queueLimit = new Option<int>("--queue-limit") { Description = "Per-member outgoing queue bound of the server under test; a member that lags further is dropped and counted as lost.", DefaultValueFactory = _ => 4 * 1024 * 1024 };
        var command = new Command("chat",
            "Start a chat server in this process (rate limit and repeat checks off), connect the members over loopback, " +
            "send timestamped messages and report deliveries per second and fan-out latency (send to each receiver) p50/p99 " +
            "from HdrHistogram. Client and server share the machine's cores, so the figure is a floor for the server.")
        {
            clients, senders, rate, seconds, engine, queueLimit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ChatBenchOptions
            {
                Clients = parse.GetValue(clients),
                Senders = parse.GetValue(senders),
                Rate = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
            };
            if (options.Problem() is { } problem)
            {
                return new OptionProblemMessage()
                    .Map(nameof(ChatBenchOptions.Clients), clients)
                    .Map(nameof(ChatBenchOptions.Senders), senders)
                    .Map(nameof(ChatBenchOptions.Rate), rate)
                    .Map(nameof(ChatBenchOptions.Duration), seconds)
                    .Report(Console.Error, problem);
            }

            return await RunAsync(parse.GetValue(engine), parse.GetValue(queueLimit), options, Console.Out, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(EngineKind engine, int queueLimit, ChatBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        // Every member must be admitted, whatever the engine's own default limit (threads: 1,000).
        var server = new ServerOptions { NoDelay = true, MaxQueuedBytes = queueLimit, MaxConnections = options.Clients + 1 };
        var chat = new ChatOptions { RateLimit = 0, MaxRepeats = 0 };
        await using var host = ServerHost.Start(engine, server, new ChatService(chat));
        var histograms = new LongHistogram[options.Clients];
        var result = await ChatBench.RunAsync(
            new IPEndPoint(IPAddress.Loopback, host.LocalEndPoint.Port),
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

        var expected = result.Expected(options.Clients);
        await output.WriteLineAsync($"chat bench: {engine.ToString().ToLowerInvariant()} engine, {options.Clients} clients, {options.Senders} senders, " +
            $"rate {(options.Rate > 0 ? $"{options.Rate:N0}/s" : "unlimited")}, {options.Duration.TotalSeconds:0.#} s " +
            $"(join notices settled in {result.JoinSettleTime.TotalSeconds:0.0} s before the clock started)");
        await output.WriteLineAsync($"sent {result.Sent:N0} messages; delivered {result.Delivered:N0} of {expected:N0} " +
            $"({(expected == 0 ? 0 : 100.0 * result.Delivered / expected):0.00} %); {result.ClientsLost} clients lost");
        await output.WriteLineAsync($"deliveries/s: {result.DeliveriesPerSecond:N0} (over {result.TotalTime.TotalSeconds:0.00} s: sending plus draining)");
        await output.WriteLineAsync($"fan-out latency: p50 {Ms(latency, 50)} ms  p99 {Ms(latency, 99)} ms  max {latency.GetMaxValue() / 1000.0:0.###} ms  ({latency.TotalCount:N0} samples)");
        return 0;
    }

    private static string Ms(LongHistogram histogram, double percentile)
        => histogram.TotalCount == 0 ? "-" : $"{histogram.GetValueAtPercentile(percentile) / 1000.0:0.###}";
}
