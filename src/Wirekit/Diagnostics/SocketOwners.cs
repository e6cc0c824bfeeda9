namespace Wirekit.Diagnostics;

/// <summary>
/// Maps socket inodes to the processes holding them by reading the links in /proc/PID/fd ("socket:[INODE]"),
/// which is how `ss -p` and `netstat -p` find owners. Processes we may not inspect, or that exit mid-scan, are skipped.
/// </summary>
internal static class SocketOwners
{
    public static Dictionary<long, (int Pid, string Name)> Scan(string procRoot = "/proc")
    {
        var owners = new Dictionary<long, (int, string)>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories(procRoot);
        }
        catch (IOException)
        {
            return owners;
        }

        foreach (var processDirectory in processes)
        {
            if (!int.TryParse(Path.GetFileName(processDirectory), out var pid))
            {
                continue;
            }

            try
            {
                string? name = null;
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(processDirectory, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal)
                        || !long.TryParse(target.AsSpan(8, target.Length - 9), out var inode))
                    {
                        continue;
                    }

                    name ??= ReadName(processDirectory);
                    owners.TryAdd(inode, (pid, name));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited during the scan, or is not ours to inspect.
            }
        }

        return owners;
    }

    private static string ReadName(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
