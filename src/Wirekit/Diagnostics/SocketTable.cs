namespace Wirekit.Diagnostics;

/// <summary>
/// Every TCP and UDP socket on this host: `ss -tuanp` as a list. On Linux from /proc, with each socket's owner; elsewhere
/// from what the OS reports to .NET (<see cref="PortableSocketTable"/>), without owners (<see cref="KnowsOwners"/>).
/// </summary>
public static class SocketTable
{
    private static readonly string[] Protocols = ["tcp", "tcp6", "udp", "udp6"];

    /// <summary>True where the table names each socket's process (Linux's /proc); elsewhere every PID is unknown.</summary>
    public static bool KnowsOwners => File.Exists("/proc/net/tcp");

    public static IReadOnlyList<SocketEntry> Read(int? port = null, bool listeningOnly = false, string procRoot = "/proc")
    {
        var all = procRoot == "/proc" && !KnowsOwners
            ? PortableSocketTable.Read(System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties())
            : ReadProc(procRoot);
        return all.Where(entry => (port is not { } wanted || entry.Local.Port == wanted || entry.Remote.Port == wanted)
            && (!listeningOnly || entry.IsListening)).ToList();
    }

    private static List<SocketEntry> ReadProc(string procRoot)
    {
        var owners = SocketOwners.Scan(procRoot);
        var entries = new List<SocketEntry>();
        foreach (var protocol in Protocols)
        {
            var path = Path.Combine(procRoot, "net", protocol);
            if (!File.Exists(path))
            {
                // tcp6/udp6 vanish when IPv6 is disabled.
                continue;
            }

            foreach (var line in File.ReadLines(path))
            {
                if (!ProcNetParser.TryParseLine(protocol, line, out var entry))
                {
                    continue;
                }

                entries.Add(owners.TryGetValue(entry!.Inode, out var owner)
                    ? entry with { Pid = owner.Pid, ProcessName = owner.Name }
                    : entry);
            }
        }

        return entries;
    }
}
