using System.Diagnostics;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Transfer;

/// <summary>Runs a system tool (mount, prlimit, script) to its end within the deadline; RunAsync fails on a non-zero exit, with its stderr.</summary>
internal static class ToolProcess
{
    public static async Task<string> RunAsync(string command, params string[] arguments)
    {
        var (exit, output, error) = await RunUncheckedAsync(command, arguments);
        return exit == 0 ? output : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)}: exit {exit}: {error}");
    }

    /// <summary>Runs to the end; the caller judges the exit code.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunUncheckedAsync(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Deadline.Default);
        return (process.ExitCode, await output, await error);
    }
}
