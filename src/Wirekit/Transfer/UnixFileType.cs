using System.Runtime.InteropServices;

namespace Wirekit.Transfer;

/// <summary>
/// What kind of file a path names, and where its symbolic links really lead. .NET's FileSystemInfo cannot tell a
/// FIFO or a device from a regular file, and opening a FIFO blocks, so the jail asks the kernel first (statx and
/// realpath from libc; statx's struct has the same layout on every Linux architecture).
/// </summary>
internal static class UnixFileType
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x0001;
    private const int StatxModeOffset = 28;
    private const int StatxSize = 256;
    private const int FormatMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>True when <paramref name="path"/> (links followed) is a regular file. Off Linux, anything that is not a directory.</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path);
        }

        var buffer = new byte[StatxSize];
        if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return false;
        }

        return (BitConverter.ToUInt16(buffer, StatxModeOffset) & FormatMask) == RegularFile;
    }

    /// <summary>The canonical absolute path with every link resolved, or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var full = Path.GetFullPath(path);
            var info = new FileInfo(full);
            return info.Exists || Directory.Exists(full) ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : null;
        }

        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport's generated code needs unsafe blocks, which this repository turns off.
    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);
#pragma warning restore SYSLIB1054
}
