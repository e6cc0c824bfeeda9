using Wirekit.Tests.Infrastructure;
using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace Wirekit.Tests.Transfer;

/// <summary>A C client using the seed's structs, compiled here with gcc, against our server: the byte-compatibility promise.</summary>
public sealed class SeedCClientTests
{
    [SkippableFact]
    public async Task C_client_with_the_seed_structs_lists_and_downloads()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the C client uses POSIX sockets");
        var gcc = FindOnPath("gcc");
        Skip.If(gcc is null, "gcc is not installed (test.sh installs it as root)");

        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("b.bin", 2_345_678);
        server.WriteRandomFile("a.txt", 12);
        var source = Path.Join(SourceFolder(), "Seed", "seed_client.c");
        Skip.IfNot(File.Exists(source), $"the C source is not at {source} (tests run outside their checkout)");
        var binary = Path.Join(server.Downloads, "seed_client");
        var (compiled, compileOutput) = await RunAsync(gcc!, "-O1", "-o", binary, source);
        Assert.True(compiled == 0, compileOutput);

        var output = Path.Join(server.Downloads, "out.bin");
        var (exit, text) = await RunAsync(binary, server.EndPoint.Port.ToString(), "1", output);
        Assert.True(exit == 0, text);
        Assert.Contains("0 12 a.txt", text);
        Assert.Contains("1 2345678 b.bin", text);
        Assert.Equal(content, await File.ReadAllBytesAsync(output));

        (exit, text) = await RunAsync(binary, server.EndPoint.Port.ToString(), "9", output);
        Assert.Equal(3, exit);
        Assert.Contains("error 3 no file with index 9", text);
    }

    // The .c file is read from the checkout rather than copied to the output, so the test project file stays untouched.
    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Join(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Deadline.Default);
        return (process.ExitCode, await stdout + await stderr);
    }
}
