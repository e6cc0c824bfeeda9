namespace Wirekit.Bench;

/// <summary>Another process's open sockets, counted in /proc (Linux): how a bench sees a server let go of its connections.</summary>
internal static class ProcessFiles
{
    /// <summary>
    /// Descriptors of <paramref name="pid"/> that are sockets (their /proc/PID/fd link reads <c>socket:[inode]</c>),
    /// or null when the process or /proc is not there (or not ours to read). Sockets only: the runtime opens files
    /// and pipes lazily, and those would move a count of every descriptor.
    /// </summary>
    public static int? CountSockets(int pid)
    {
        try
        {
            var sockets = 0;
            foreach (var entry in new DirectoryInfo($"/proc/{pid}/fd").EnumerateFileSystemInfos())
            {
                if (IsSocket(entry))
                {
                    sockets++;
                }
            }

            return sockets;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsSocket(FileSystemInfo descriptor)
    {
        try
        {
            return descriptor.LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
        }
        catch (IOException)
        {
            return false; // closed between the listing and the read: not open any more
        }
    }
}
