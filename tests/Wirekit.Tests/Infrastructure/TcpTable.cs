using System.Globalization;

namespace Wirekit.Tests.Infrastructure;

/// <summary>Reads the kernel's TCP tables (/proc/net/tcp, tcp6), as `ss -tan` does.</summary>
internal static class TcpTable
{
    private const string EstablishedState = "01";
    private const string TimeWaitState = "06";

    /// <summary>Lines of sockets in TIME_WAIT whose local port is <paramref name="port"/>. Empty where /proc is absent.</summary>
    public static IReadOnlyList<string> TimeWaitWithLocalPort(int port) => WithLocalPort(port, TimeWaitState);

    /// <summary>Lines of established connections whose local port is <paramref name="port"/> (a server's, one per client).</summary>
    public static IReadOnlyList<string> EstablishedWithLocalPort(int port) => WithLocalPort(port, EstablishedState);

    private static List<string> WithLocalPort(int port, string state)
    {
        var found = new List<string>();
        foreach (var path in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[3] == state)
                {
                    found.Add(line.Trim());
                }
            }
        }

        return found;
    }
}
