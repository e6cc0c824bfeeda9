namespace Wirekit.Diagnostics;

/// <summary>Every TCP and UDP socket on this Linux host, with its owner: `ss -tuanp` as a list.</summary>
public static class SocketTable
{
    private static readonly string[] Protocols = ["tcp", "tcp6", "udp", "udp6"];

    public static bool IsSupported => File.Exists("/proc/net/tcp");

    public static IReadOnlyList<SocketEntry> Read(int? port = null, bool listeningOnly = false, string procRoot = "/proc")
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
                if (!ProcNetParser.TryParseLine(protocol, line, out var entry)
                    || (port is { } wanted && entry!.Local.Port != wanted && entry.Remote.Port != wanted)
                    || (listeningOnly && !entry!.IsListening))
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
