using System.Diagnostics;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Transfer;

/// <summary>Runs a system tool (mount, prlimit) to its end within the deadline; a non-zero exit fails with its stderr.</summary>
internal static class ToolProcess
{
    public static async Task<string> RunAsync(string command, params string[] arguments)
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
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await error}");
    }
}
