using System.Globalization;
using Wirekit.Bench;

namespace Wirekit.Cli.Bench;

/// <summary>One `bench echo` run as printed, and as JSON for scripts (camelCase keys: bench/echo.sh reads messagesPerSecond).</summary>
internal sealed record EchoBenchReport(
    string Target,
    int Clients,
    int MessagesInFlight,
    int MessageSize,
    double Seconds,
    double WarmupSeconds,
    int Threads,
    long Messages,
    long Bytes,
    double MessagesPerSecond,
    double MibPerSecond,
    LatencySummary LatencyMicroseconds,
    int Errors,
    int FailedConnections,
    long TotalBytesSent,
    long TotalBytesReceived,
    bool Drained)
{
    /// <summary>True when every connection spoke TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>With TLS: how long every connection's handshake took, before the warm-up (so in no rate).</summary>
    public double? HandshakeSeconds { get; init; }

    public static EchoBenchReport From(EchoLoadOptions options, EchoLoadResult result, LatencySummary latency) => new(
        options.Target.ToString(),
        options.Clients,
        options.MessagesInFlight,
        options.MessageSize,
        Math.Round(result.Elapsed.TotalSeconds, 3),
        options.Warmup.TotalSeconds,
        Math.Min(options.Threads, options.Clients),
        result.Messages,
        result.Bytes,
        Math.Round(result.MessagesPerSecond),
        Math.Round(result.MiBPerSecond, 1),
        latency,
        result.Errors,
        result.FailedConnections,
        result.TotalBytesSent,
        result.TotalBytesReceived,
        result.Drained)
    {
        Tls = options.Tls is not null,
        HandshakeSeconds = options.Tls is null ? null : Math.Round(result.HandshakeTime.TotalSeconds, 3),
    };

    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(c,
            "echo load on {0}: {1} clients x {2} in flight x {3} B, {4:F2} s measured after {5:F1} s warm-up, {6} client thread(s)",
            Target, Clients, MessagesInFlight, MessageSize, Seconds, WarmupSeconds, Threads));
        if (HandshakeSeconds is { } handshakes)
        {
            Row(output, "TLS handshakes", $"{(Clients - FailedConnections).ToString("N0", c)} in {handshakes.ToString("0.000", c)} s, before the warm-up (in no rate)");
        }

        Row(output, "messages/s", MessagesPerSecond.ToString("N0", c));
        Row(output, "MiB/s", MibPerSecond.ToString("N1", c));
        Row(output, "latency p50", Micros(LatencyMicroseconds.P50Us));
        Row(output, "latency p99", Micros(LatencyMicroseconds.P99Us));
        Row(output, "latency p99.9", Micros(LatencyMicroseconds.P999Us));
        Row(output, "latency max", Micros(LatencyMicroseconds.MaxUs));
        Row(output, "errors", Errors.ToString(c));
        Row(output, "failed connects", FailedConnections.ToString(c));
        Row(output, "drained", Drained
            ? $"yes ({TotalBytesReceived.ToString("N0", c)} bytes sent and echoed in all)"
            : $"NO: {(TotalBytesSent - TotalBytesReceived).ToString("N0", c)} bytes never came back");
    }

    private static string Micros(double value) => value.ToString("N1", CultureInfo.InvariantCulture) + " µs";

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"  {name,-16} {value}");
}
