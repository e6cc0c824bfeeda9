using System.Globalization;
using Wirekit.Bench;

namespace Wirekit.Cli.Bench;

/// <summary>
/// One `bench connections` run as printed, and as JSON for scripts. The top-level figures are the first cycle's
/// (what bench/connections.sh reads); <see cref="Cycles"/> has every cycle, for bench/rss.sh.
/// </summary>
internal sealed record ConnectionsBenchReport(
    string Target,
    int Requested,
    int Opened,
    int Held,
    int ConnectFailures,
    int EchoFailures,
    int SourceAddresses,
    int? ServerPid,
    long? ServerRssBytesBefore,
    long? ServerRssBytesAfter,
    double? ServerRssKiBPerConnection,
    IReadOnlyList<ConnectionsBenchReport.CycleRow> Cycles,
    double SettleSeconds,
    long? ServerRssBytesSettled)
{
    /// <summary>True when every connection spoke TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>With TLS: connections opened per second in the first cycle, each a full handshake (connect included).</summary>
    public double? HandshakesPerSecond { get; init; }

    public static ConnectionsBenchReport From(IdleConnectionOptions options, ConnectionCycleOptions cycles, ConnectionCyclesResult result)
    {
        var first = result.Cycles[0];
        var before = result.ServerRssBeforeBytes;
        var after = first.ServerRssOpenBytes;
        return new ConnectionsBenchReport(
            options.Target.ToString(), first.Requested, first.Opened, first.Held, first.Requested - first.Opened,
            cycles.CheckEcho ? first.Opened - first.Held : 0, first.SourceAddresses, cycles.ServerPid, before, after,
            before is { } b && after is { } a && first.Held > 0 ? Math.Round((a - b) / 1024.0 / first.Held, 2) : null,
            result.Cycles.Select(c => new CycleRow(
                c.Number, c.Held, c.ServerRssOpenBytes, c.ServerRssClosedBytes, c.ServerReleased,
                Math.Round(c.ReleaseTime.TotalSeconds, 2))).ToArray(),
            result.Settle.TotalSeconds,
            result.ServerRssSettledBytes)
        {
            Tls = options.Tls is not null,
            HandshakesPerSecond = options.Tls is null ? null : Math.Round(first.OpenedPerSecond, 1),
        };
    }

    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"idle connections to {Target} from {SourceAddresses} local address(es)");
        Row(output, "requested", Requested.ToString("N0", c));
        Row(output, "opened", Opened.ToString("N0", c));
        Row(output, "held (echo ok)", Held.ToString("N0", c));
        Row(output, "connect failures", ConnectFailures.ToString("N0", c));
        Row(output, "echo failures", EchoFailures.ToString("N0", c));
        if (HandshakesPerSecond is { } handshakes)
        {
            Row(output, "TLS handshakes/s", $"{handshakes.ToString("N1", c)} (full handshakes, connect included)");
        }

        if (ServerPid is not null)
        {
            Row(output, "server RSS before", Kib(ServerRssBytesBefore));
            Row(output, "server RSS after", Kib(ServerRssBytesAfter));
            Row(output, "RSS/connection", ServerRssKiBPerConnection is { } perConnection
                ? perConnection.ToString("N2", c) + " KiB"
                : "unknown (process gone or /proc unreadable)");
        }

        if (Cycles.Count > 1 || ServerPid is not null)
        {
            output.WriteLine("  cycle  held     RSS open     RSS closed   server closed its side");
            foreach (var row in Cycles)
            {
                var released = row.ServerReleased switch
                {
                    true => $"in {row.ReleaseSeconds.ToString("0.00", c)} s",
                    false => $"NO, still open after {row.ReleaseSeconds.ToString("0.0", c)} s",
                    null => "not watched",
                };
                output.WriteLine($"  {row.Number,5}  {row.Held.ToString("N0", c),-7}  {Kib(row.ServerRssBytesOpen),-11}  {Kib(row.ServerRssBytesClosed),-11}  {released}");
            }
        }

        if (SettleSeconds > 0)
        {
            Row(output, $"RSS after {SettleSeconds.ToString("0.#", c)} s idle", Kib(ServerRssBytesSettled));
        }
    }

    private static string Kib(long? bytes)
        => bytes is { } b ? (b / 1024).ToString("N0", CultureInfo.InvariantCulture) + " KiB" : "unknown";

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"  {name,-18} {value}");

    /// <summary>One cycle: connections held, the server's RSS with them open and once closed, and whether (and how fast) it closed them.</summary>
    internal sealed record CycleRow(int Number, int Held, long? ServerRssBytesOpen, long? ServerRssBytesClosed, bool? ServerReleased, double ReleaseSeconds);
}
