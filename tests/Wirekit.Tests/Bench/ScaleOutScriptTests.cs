using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Bench;

/// <summary>
/// bench/scale-out.sh as a person runs it, with a tiny profile (5 members, 0.3 s per run, one node alone, then two on
/// Redis; the real runs are bench/results/scale-out.md): every node starts, every run delivers every message, and each
/// row carries the CPU of the processes it names. Counts, not speed.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ScaleOutScriptTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("wirekit-scale-out-");

    public void Dispose() => _output.Delete(recursive: true);

    [SkippableFact]
    public async Task A_tiny_run_delivers_every_message_on_one_node_and_on_two_redis_nodes()
    {
        Skip.If(ExternalServer.Find("redis-server") is null, "redis-server is not installed (test.sh installs it)");
        var table = Path.Combine(_output.FullName, "scale-out.tsv");

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default * 2,
        [
            "env", $"WIREKIT_DLL={Path.Combine(AppContext.BaseDirectory, "Wirekit.Cli.dll")}",
            "bash", Path.Combine(BenchFolder.Path, "scale-out.sh"), "-m", "5", "-n", "2", "-b", "redis", "-t", "0.3", "-T", "5000", "-o", table,
        ]);

        Assert.True(exit == 0, $"bench/scale-out.sh: exit {exit}\n{output}\n{error}");
        var lines = File.ReadAllLines(table);
        var columns = lines[0].Split('\t').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);
        var rows = lines[1..].Select(line => line.Split('\t')).ToArray();
        Assert.Equal(["none 1 full", "none 1 10%", "redis 2 full", "redis 2 10%"], rows.Select(r => $"{r[columns["backplane"]]} {r[columns["nodes"]]} {r[columns["load"]]}"));
        Assert.All(rows, row =>
        {
            Assert.Equal("5", row[columns["members"]]);
            Assert.Equal("yes", row[columns["allDelivered"]]);
            Assert.True(long.Parse(row[columns["delivered"]]) > 0, "nothing was delivered");
            Assert.Equal(row[columns["nodes"]] == "2" ? 2 : 1, row[columns["nodeCpuPeakPct"]].Split('/').Length);
        });
        Assert.All(rows.Where(r => r[columns["backplane"]] == "redis"), row => Assert.NotEqual("", row[columns["backplaneCpuPeakPct"]]));
    }
}
