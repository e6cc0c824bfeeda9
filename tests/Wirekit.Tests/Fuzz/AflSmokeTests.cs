using System.Text.RegularExpressions;
using Wirekit.Fuzz.Harnesses;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Fuzz;

/// <summary>
/// Every harness for a few seconds under afl-fuzz, through fuzz/run.sh as a person runs it: the instrumented build
/// works, afl sees coverage and executes cases, and no crash turns up from the seeds. 3 s per harness, 18 s of fuzzing
/// in all; the long runs are fuzz/run.sh HARNESS SECONDS outside CI (fuzz/results.md).
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class AflSmokeTests
{
    private const int SecondsPerHarness = 3;

    [SkippableFact]
    public async Task Every_harness_runs_under_afl_fuzz_and_finds_no_crash_from_the_seeds()
    {
        Skip.If(ExternalServer.Find("afl-fuzz") is null, "afl-fuzz is not installed (Debian package afl++; test.sh installs it when run as root)");
        var build = Directory.CreateTempSubdirectory("wirekit-fuzz-smoke-");
        try
        {
            var script = Path.Combine(FuzzCorpus.Folder, "run.sh");
            string[] environment = ["env", $"FUZZ_BUILD_DIR={build.FullName}"];
            // Publishing and instrumenting is a whole build, not a wait on something: three of the usual bounds.
            var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default * 3, [.. environment, "bash", script, "build"]);
            Assert.True(exit == 0, $"fuzz/run.sh build: exit {exit}: {error}");

            foreach (var harness in HarnessCatalog.All)
            {
                var (code, output, stderr) = await ToolProcess.RunUncheckedAsync(
                    Deadline.Default, [.. environment, "FUZZ_SKIP_BUILD=1", "bash", script, harness.Name, $"{SecondsPerHarness}"]);
                Assert.True(code == 0, $"fuzz/run.sh {harness.Name}: exit {code}: {stderr}");
                var figures = Figures().Match(output);
                Assert.True(figures.Success, $"fuzz/run.sh {harness.Name} printed no figures: {output}");
                Assert.True(long.Parse(figures.Groups["executions"].Value) > 0, output);
                Assert.True(int.Parse(figures.Groups["paths"].Value) > 0, output);
                Assert.Equal("0", figures.Groups["crashes"].Value);
            }
        }
        finally
        {
            build.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"executions=(?<executions>\d+) .*paths=(?<paths>\d+) crashes=(?<crashes>\d+)")]
    private static partial Regex Figures();
}
