using System.Globalization;
using HdrHistogram;
using Wirekit.Bench.Chat;
using Wirekit.Engines;

namespace Wirekit.Cli.Bench;

/// <summary>One `bench chat` run as printed, and as JSON for scripts (docs/json.md).</summary>
internal sealed record ChatBenchReport(
    EngineKind? Engine,
    int Clients,
    int Senders,
    double Rate,
    double Seconds,
    double JoinSettleSeconds,
    long Sent,
    long Delivered,
    long Expected,
    double DeliveredPercent,
    int ClientsLost,
    double DeliveriesPerSecond,
    double TotalSeconds,
    ChatBenchReport.FanOutLatency LatencyMilliseconds)
{
    /// <summary>The server loaded when it was not started here (Engine is then null).</summary>
    public string? Server { get; init; }

    /// <summary>True when every member spoke TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>Under `--servers`: each node's members and what they sent and received, in the order given; otherwise null.</summary>
    public IReadOnlyList<NodeCounts>? Nodes { get; init; }

    /// <param name="engine">The engine of the server started here; null for a server given by address.</param>
    public static ChatBenchReport From(EngineKind? engine, ChatBenchOptions options, ChatBenchResult result, LongHistogram latencyMicroseconds)
    {
        var expected = result.Expected(options.Clients);
        return new ChatBenchReport(
            engine, options.Clients, options.Senders, options.Rate, options.Duration.TotalSeconds, Math.Round(result.JoinSettleTime.TotalSeconds, 2),
            result.Sent, result.Delivered, expected, expected == 0 ? 0 : Math.Round(100.0 * result.Delivered / expected, 2), result.ClientsLost,
            Math.Round(result.DeliveriesPerSecond), Math.Round(result.TotalTime.TotalSeconds, 2), FanOutLatency.From(latencyMicroseconds));
    }

    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"chat bench: {(Engine is { } engine ? $"{engine.ToString().ToLowerInvariant()} engine" : (Nodes is { Count: > 1 } ? $"{Nodes.Count} servers {Server}" : $"server {Server}"))}{(Tls ? " over TLS" : "")}, {Clients} clients, {Senders} senders, " +
            $"rate {(Rate > 0 ? Rate.ToString("N0", c) + "/s" : "unlimited")}, {Seconds:0.#} s " +
            $"(join notices settled in {JoinSettleSeconds:0.0} s before the clock started)"));
        output.WriteLine(string.Create(c, $"sent {Sent:N0} messages; delivered {Delivered:N0} of {Expected:N0} ({DeliveredPercent:0.00} %); {ClientsLost} clients lost"));
        foreach (var node in Nodes ?? [])
        {
            output.WriteLine(string.Create(c, $"  node {node.Server}: {node.Members} members sent {node.Sent:N0}, received {node.Delivered:N0} of {node.Expected:N0}; {node.ClientsLost} lost"));
        }

        output.WriteLine(string.Create(c, $"deliveries/s: {DeliveriesPerSecond:N0} (over {TotalSeconds:0.00} s: sending plus draining)"));
        output.WriteLine(LatencyMilliseconds.Samples == 0
            ? "fan-out latency: no samples"
            : string.Create(c, $"fan-out latency: p50 {LatencyMilliseconds.P50:0.###} ms  p99 {LatencyMilliseconds.P99:0.###} ms  max {LatencyMilliseconds.Max:0.###} ms  ({LatencyMilliseconds.Samples:N0} samples)"));
    }

    /// <summary>One node's share of a `--servers` run: deliveries to its members count messages sent on any node.</summary>
    internal sealed record NodeCounts(string Server, int Members, long Sent, long Delivered, long Expected, int ClientsLost)
    {
        public static IReadOnlyList<NodeCounts> From(ChatBenchResult result) => result.Nodes
            .Select(node => new NodeCounts(node.Server.ToString(), node.Members, node.Sent, node.Delivered, node.Expected(result.Sent), node.ClientsLost))
            .ToArray();
    }

    /// <summary>Send-to-receive times of every delivery, in milliseconds; zeros when nothing was delivered (then Samples is 0).</summary>
    internal sealed record FanOutLatency(long Samples, double P50, double P99, double Max)
    {
        public static FanOutLatency From(LongHistogram microseconds) => microseconds.TotalCount == 0
            ? new FanOutLatency(0, 0, 0, 0)
            : new FanOutLatency(microseconds.TotalCount, Ms(microseconds.GetValueAtPercentile(50)), Ms(microseconds.GetValueAtPercentile(99)), Ms(microseconds.GetMaxValue()));

        private static double Ms(long microseconds) => microseconds / 1000.0;
    }
}
