namespace Wirekit.Tests.Bench;

/// <summary>
/// Every script a person runs by its path (a "#!" first line) can be run so: bench/soak.sh was committed without its
/// executable bit, and `bench/soak.sh 30` as the issue and README write it said "Permission denied" while the CI
/// smoke, which calls it through bash, passed. Files that are only sourced have no "#!" line and are not judged.
/// </summary>
public sealed class ScriptModeTests
{
    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Every_script_with_an_interpreter_line_is_executable()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var root = Directory.GetParent(BenchFolder.Path)!.FullName;
        var scripts = new[] { "bench", "fuzz", "tools", ".ci" }
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}.build{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Append(Path.Combine(root, "test.sh"))
            .Where(StartsWithInterpreterLine)
            .ToList();

        Assert.Contains(scripts, file => file.EndsWith("soak.sh", StringComparison.Ordinal));
        var notExecutable = scripts.Where(file => !File.GetUnixFileMode(file).HasFlag(UnixFileMode.UserExecute))
            .Select(file => Path.GetRelativePath(root, file));
        Assert.Empty(notExecutable);
    }

    private static bool StartsWithInterpreterLine(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> head = stackalloc byte[2];
        return stream.Read(head) == 2 && head[0] == '#' && head[1] == '!';
    }
}
