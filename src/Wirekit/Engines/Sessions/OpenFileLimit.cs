using System.Runtime.InteropServices;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// The process's open-file limit (RLIMIT_NOFILE) and how many descriptors are open now. Every socket is a descriptor
/// on Unix, so this limit, not memory, is what a flood of idle connections exhausts first. Windows has no such small
/// per-process limit (sockets are handles): there both answers are null and admission relies on the connection limit.
/// </summary>
internal static partial class OpenFileLimit
{
    private const int LinuxNoFile = 7;   // RLIMIT_NOFILE in <sys/resource.h> on Linux
    private const int BsdNoFile = 8;     // ... and on macOS / the BSDs

    /// <summary>The soft limit in force (the runtime raises it to the hard limit at start), or null when there is none.</summary>
    public static long? Current()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return null;
        }

        var resource = OperatingSystem.IsLinux() ? LinuxNoFile : BsdNoFile;
        if (GetResourceLimit(resource, out var limit) != 0 || limit.Current >= long.MaxValue)
        {
            return null;
        }

        return (long)limit.Current;
    }

    /// <summary>Descriptors this process has open right now, or null where that cannot be read cheaply.</summary>
    public static int? OpenNow()
    {
        var folder = OperatingSystem.IsLinux() ? "/proc/self/fd" : OperatingSystem.IsMacOS() ? "/dev/fd" : null;
        if (folder is null)
        {
            return null;
        }

        try
        {
            // The enumeration holds one descriptor of its own: it is not counted as the directory's entry is read first.
            return Directory.EnumerateFileSystemEntries(folder).Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetResourceLimit(int resource, out ResourceLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
