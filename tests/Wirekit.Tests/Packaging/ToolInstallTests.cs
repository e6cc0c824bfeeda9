using System.Net;
using System.Text;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Packaging;

/// <summary>
/// Issue 14 §3: `dotnet tool install` from a locally packed nupkg gives a working `wirekit`, as people install
/// .NET tools. Packs the CLI this test run was built from (no second build), installs it into a private tool path,
/// and runs `--version` and one echo round trip through the installed command.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("wirekit-tool-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [SkippableFact]
    public async Task The_packed_tool_installs_and_serves_an_echo()
    {
        var project = FindCliProject();
        Skip.If(project is null, "the CLI's project is not beside this test run (tests copied elsewhere)");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalServer.Find("dotnet");
        Skip.If(dotnet is null, "dotnet is not on PATH");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var packages = Path.Combine(_scratch, "packages");
        var tools = Path.Combine(_scratch, "tools");

        await RunAsync(dotnet!, "pack", project!, "-c", configuration, "--no-build", "-o", packages);
        await RunAsync(dotnet!, "tool", "install", "--tool-path", tools, "--add-source", packages, "Wirekit.Cli");
        var wirekit = Path.Combine(tools, OperatingSystem.IsWindows() ? "wirekit.exe" : "wirekit");

        Assert.Matches(@"^\d+\.\d+\.\d+", await RunAsync(wirekit, "--version"));

        using var server = CliProcess.StartCommand([wirekit, "echo", "serve", "--port", "0"]);
        var port = await server.WaitForListeningPortAsync("echo");
        using var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await client.SendAsync(Encoding.UTF8.GetBytes("installed\n"));
        Assert.Equal("installed\n", Encoding.UTF8.GetString(await client.ReceiveExactlyAsync(10)));
    }

    internal static string? FindCliProject()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var project = Path.Combine(folder.FullName, "src", "Wirekit.Cli", "Wirekit.Cli.csproj");
            if (File.Exists(project))
            {
                return project;
            }
        }

        return null;
    }

    private static async Task<string> RunAsync(string command, params string[] arguments)
    {
        // pack and tool install restore from the package feed: allow more than a test's usual wait.
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(TimeSpan.FromMinutes(3), [command, .. arguments]);
        Assert.True(exit == 0, $"{Path.GetFileName(command)} {string.Join(' ', arguments)}: exit {exit}\n{output}\n{error}");
        return output;
    }
}
