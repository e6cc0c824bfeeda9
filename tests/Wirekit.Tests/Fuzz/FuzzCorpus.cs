using Wirekit.Fuzz;
using Wirekit.Fuzz.Harnesses;

namespace Wirekit.Tests.Fuzz;

/// <summary>Where the committed corpus lives (fuzz/corpus/HARNESS/FILE) and the cases it holds.</summary>
internal static class FuzzCorpus
{
    /// <summary>The repository's fuzz/ folder, found upward from the test binaries (they run from tests/.../bin/...).</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>One row per harness and corpus file: the harness name and the file's name.</summary>
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var harness in HarnessCatalog.All)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, "corpus", harness.Name)).Order(StringComparer.Ordinal))
            {
                cases.Add(harness.Name, Path.GetFileName(file));
            }
        }

        return cases;
    }

    public static void Replay(string harness, string file)
        => HarnessCatalog.Find(harness)!.Run(FuzzInput.Parse(File.ReadAllBytes(Path.Combine(Folder, "corpus", harness, file))));

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "fuzz", "run.sh")))
            {
                return Path.Combine(directory.FullName, "fuzz");
            }
        }

        throw new DirectoryNotFoundException($"no fuzz/run.sh above {AppContext.BaseDirectory}");
    }
}
