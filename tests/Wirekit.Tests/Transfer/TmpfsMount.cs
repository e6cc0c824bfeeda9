using Wirekit.Tests.Infrastructure;
namespace Wirekit.Tests.Transfer;

/// <summary>
/// A small tmpfs mounted by a test, to give the client a disk that fills up or refuses writes. Needs root (the
/// tests run as root here; <see cref="SkipReason"/> says when not). Unmounted (lazily, so a test's open file
/// cannot keep it) and removed on dispose.
/// </summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static string? SkipReason()
        => !OperatingSystem.IsLinux() ? "tmpfs is Linux's" : !Environment.IsPrivilegedProcess ? "mounting a tmpfs needs root" : null;

    /// <summary>Mounts <paramref name="bytes"/> of tmpfs on a new folder; read-only when asked.</summary>
    public static async Task<TmpfsMount> MountAsync(long bytes, bool readOnly = false)
    {
        var path = Directory.CreateTempSubdirectory("wirekit-tmpfs-").FullName;
        await ToolProcess.RunAsync("mount", "-t", "tmpfs", "-o", $"size={bytes}{(readOnly ? ",ro" : "")}", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Gives the mount a new size, keeping its files (the disk was full; now it is not).</summary>
    public Task ResizeAsync(long bytes) => ToolProcess.RunAsync("mount", "-o", $"remount,size={bytes}", Path);

    public async ValueTask DisposeAsync()
    {
        await ToolProcess.RunAsync("umount", "-l", Path);
        Directory.Delete(Path);
    }
}
