using System.Diagnostics;

namespace Wirekit.Tests.Infrastructure;

/// <summary>A command run to its end (ip, mount, script, gcc ...): its exit code and output, within a bound; killed by PID past it.</summary>
internal static class ToolProcess
{
    public static async Task<string> RunAsync(string command, params string[] arguments)
    {
        var (exit, output, error) = await RunUncheckedAsync(command, arguments);
        return exit == 0 ? output : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)}: exit {exit}: {error}");
    }

    /// <summary>Runs to the end; the caller judges the exit code.</summary>
    public static Task<(int Exit, string Output, string Error)> RunUncheckedAsync(string command, params string[] arguments)
        => RunUncheckedAsync(Deadline.Default, [command, .. arguments]);

    /// <summary>Runs <paramref name="commandLine"/> to the end, or kills it after <paramref name="limit"/> and reports exit -1.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunUncheckedAsync(TimeSpan limit, string[] commandLine)
    {
        using var process = Process.Start(ChildProcess.StartInfo(commandLine))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // Our own child, by PID.
            process.Kill(entireProcessTree: true);
            return (-1, await output, $"timed out after {limit}: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
