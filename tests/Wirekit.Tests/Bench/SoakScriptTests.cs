using System.Text.Json;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Bench;

/// <summary>
/// bench/soak.sh as a person runs it, for 20 s on the async engine instead of 30 minutes on each (the long run is
/// bench/results/soak.md): every server starts behind its proxy, the mixed load runs, the samples are taken, the
/// servers' sockets and threads come back to rest, no chat line is lost to a reading member, and the report, its
/// JSON and its plot are written. The RSS slope limit is lifted: 20 s of warm-up growth says nothing about a leak.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SoakScriptTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("wirekit-soak-");

    public void Dispose() => _output.Delete(recursive: true);

    [SkippableFact]
    public async Task A_short_soak_runs_every_server_under_load_and_writes_its_report_json_and_plot()
    {
        Skip.If(ExternalServer.Find("ncat") is null, "ncat is not installed (Debian package ncat)");
        var report = Path.Combine(_output.FullName, "soak.md");
        string[] environment =
        [
            "env",
            $"WIREKIT_DLL={Path.Combine(AppContext.BaseDirectory, "Wirekit.Cli.dll")}",
            $"RSS_PROBE_DLL={Path.Combine(AppContext.BaseDirectory, "RssProbe.dll")}",
            $"PLOTS_DLL={Path.Combine(AppContext.BaseDirectory, "Wirekit.Plots.dll")}",
        ];

        // About 45 s here; the bound is for a machine loaded many times over (a sample then takes longer than its interval).
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(
            Deadline.Default * 10, [.. environment, "bash", Path.Combine(BenchFolder.Path, "soak.sh"), "-e", "async", "-i", "2", "-l", "100000", "-o", report, "0.33"]);

        Assert.True(exit == 0, $"bench/soak.sh: exit {exit}\n{output}\n{error}");
        var markdown = File.ReadAllText(report);
        Assert.Contains("**Verdict: pass.**", markdown);
        foreach (var server in new[] { "echo-async", "chat-async", "file-async" })
        {
            Assert.Contains($"| {server} |", markdown);
        }

        using var samples = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output.FullName, "soak.json")));
        var rows = samples.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal("soak", samples.RootElement.GetProperty("kind").GetString());
        // A sample at rest, several under load and at least one after, for each of the three servers.
        Assert.Equal(["after", "load", "rest"], rows.Select(r => r.GetProperty("phase").GetString()).Distinct().Order());
        Assert.All(rows, r => Assert.True(r.GetProperty("rssKiB").GetDouble() > 0));
        Assert.True(new FileInfo(Path.Combine(_output.FullName, "soak.png")).Length > 0, "no soak.png");
        Assert.True(new FileInfo(Path.Combine(_output.FullName, "soak.svg")).Length > 0, "no soak.svg");
    }
}

/// <summary>The repository's bench/ folder, found upward from the test binaries.</summary>
internal static class BenchFolder
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "bench", "lib.sh")))
            {
                return System.IO.Path.Combine(directory.FullName, "bench");
            }
        }

        throw new DirectoryNotFoundException($"no bench/lib.sh above {AppContext.BaseDirectory}");
    }
}
