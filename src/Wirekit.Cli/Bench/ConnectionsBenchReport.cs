using System.Globalization;

namespace Wirekit.Cli.Bench;

/// <summary>One `bench connections` run as printed, and as JSON for scripts.</summary>
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
    double? ServerRssKiBPerConnection)
{
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"idle connections to {Target} from {SourceAddresses} local address(es)");
        Row(output, "requested", Requested.ToString("N0", c));
        Row(output, "opened", Opened.ToString("N0", c));
        Row(output, "held (echo ok)", Held.ToString("N0", c));
        Row(output, "connect failures", ConnectFailures.ToString("N0", c));
        Row(output, "echo failures", EchoFailures.ToString("N0", c));
        if (ServerPid is null)
        {
            return;
        }

        Row(output, "server RSS before", Kib(ServerRssBytesBefore));
        Row(output, "server RSS after", Kib(ServerRssBytesAfter));
        Row(output, "RSS/connection", ServerRssKiBPerConnection is { } perConnection
            ? perConnection.ToString("N2", c) + " KiB"
            : "unknown (process gone or /proc unreadable)");
    }

    private static string Kib(long? bytes)
        => bytes is { } b ? (b / 1024).ToString("N0", CultureInfo.InvariantCulture) + " KiB" : "unknown";

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"  {name,-18} {value}");
}
