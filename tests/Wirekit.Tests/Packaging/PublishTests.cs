using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Packaging;

/// <summary>Publishing runs the compilers flat out: alone, after the parallel tests, so it slows nobody's waits.</summary>
[CollectionDefinition(nameof(PublishCollection), DisableParallelization = true)]
public sealed class PublishCollection;

/// <summary>
/// Issue 14 §3: the same code publishes for Windows and macOS, and as a Native AOT binary for Linux with no
/// trim/AOT warning (warnings are errors in this repository, so a warning fails the publish), and that binary
/// works: --version, an echo round trip, a --json document (serializers generated at compile time), a usage error.
/// </summary>
[Collection(nameof(PublishCollection))]
public sealed class PublishTests : IDisposable
{
    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(6);
    private readonly string _scratch = Directory.CreateTempSubdirectory("wirekit-publish-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [SkippableTheory]
    [InlineData("win-x64", "Wirekit.Cli.exe")]
    [InlineData("osx-arm64", "Wirekit.Cli")]
    public async Task The_cli_publishes_for_other_platforms(string runtime, string executable)
    {
        var output = await PublishAsync("-r", runtime, "--self-contained", "false");

        Assert.True(File.Exists(Path.Combine(output, executable)), $"{executable} missing in {output}");
        Assert.True(File.Exists(Path.Combine(output, "Wirekit.dll")));
    }

    [SkippableFact]
    public async Task The_native_aot_binary_builds_without_warnings_and_works()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64, "the AOT smoke runs the linux-x64 binary");
        Skip.If(ExternalServer.Find("clang") is null && ExternalServer.Find("gcc") is null, "Native AOT links with clang or gcc; neither is installed");
        var output = await PublishAsync("-r", "linux-x64", "-p:PublishAot=true");
        var wirekit = Path.Combine(output, "Wirekit.Cli");

        var (versionExit, version, _) = await ToolProcess.RunUncheckedAsync(Deadline.Default, [wirekit, "--version"]);
        Assert.Equal(0, versionExit);
        Assert.Matches(@"^\d+\.\d+\.\d+", version);

        var (jsonExit, json, jsonError) = await ToolProcess.RunUncheckedAsync(Deadline.Default, [wirekit, "sockopt", "--json"]);
        Assert.True(jsonExit == 0, jsonError);
        using (var document = JsonDocument.Parse(json))
        {
            Assert.Equal("TCP", document.RootElement[0].GetProperty("protocol").GetString());
        }

        var (usageExit, _, usage) = await ToolProcess.RunUncheckedAsync(Deadline.Default, [wirekit, "file", "list", "--timout", "1"]);
        Assert.Equal(2, usageExit);
        Assert.Equal("error: unrecognized option '--timout'; did you mean --idle-timeout? (see wirekit file list --help)\n", usage.ReplaceLineEndings("\n"));

        using var server = CliProcess.StartCommand([wirekit, "echo", "serve", "--port", "0"]);
        var port = await server.WaitForListeningPortAsync("echo");
        using var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await client.SendAsync(Encoding.UTF8.GetBytes("native\n"));
        Assert.Equal("native\n", Encoding.UTF8.GetString(await client.ReceiveExactlyAsync(7)));
    }

    private async Task<string> PublishAsync(params string[] arguments)
    {
        var project = ToolInstallTests.FindCliProject();
        Skip.If(project is null, "the CLI's project is not beside this test run (tests copied elsewhere)");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalServer.Find("dotnet");
        Skip.If(dotnet is null, "dotnet is not on PATH");
        var output = Path.Combine(_scratch, string.Join('-', arguments).Replace(':', '_').Replace('=', '_'));

        var (exit, log, error) = await ToolProcess.RunUncheckedAsync(PublishLimit, [dotnet!, "publish", project!, "-c", "Release", "-o", output, .. arguments]);

        Assert.True(exit == 0, $"dotnet publish {string.Join(' ', arguments)}: exit {exit}\n{log}\n{error}");
        Assert.DoesNotContain(": warning ", log);
        return output;
    }
}
