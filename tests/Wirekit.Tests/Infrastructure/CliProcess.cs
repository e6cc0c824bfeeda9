using System.Text.RegularExpressions;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// The `wirekit` CLI as a child process (the built Wirekit.Cli.dll beside the tests), for what only a real process
/// shows: signals, exit codes, console output. Killed by its own PID on dispose, never by name.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly ChildProcess _child;

    private CliProcess(ChildProcess child) => _child = child;

    public int Id => _child.Pid;

    public bool HasExited => _child.HasExited;

    public string Output => _child.Output;

    /// <summary>The command line that runs the CLI (the test host's dotnet plus the CLI's dll), e.g. for `ip netns exec`.</summary>
    public static string[] Command(params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalServer.Find("dotnet") ?? "dotnet";
        return [host, Path.Combine(AppContext.BaseDirectory, "Wirekit.Cli.dll"), .. arguments];
    }

    public static CliProcess Start(params string[] arguments) => StartCommand(Command(arguments));

    /// <summary>Runs a whole command line whose end is <see cref="Command"/> (e.g. behind `prlimit` or `ip netns exec`).</summary>
    public static CliProcess StartCommand(string[] commandLine) => new(ChildProcess.Start(commandLine));

    /// <summary>Waits for a "listening on ADDRESS:PORT" line and returns the port.</summary>
    public async Task<int> WaitForListeningPortAsync(string server)
    {
        int port = 0;
        await Deadline.UntilAsync(
            () =>
            {
                var match = Regex.Match(Output, $@"{Regex.Escape(server)} server \(\w+\) listening on [\d.]+:(\d+)");
                port = match.Success ? int.Parse(match.Groups[1].Value) : 0;
                return match.Success || _child.HasExited;
            },
            $"the {server} server to listen");
        return port != 0 ? port : throw new InvalidOperationException($"the CLI exited: {Output}");
    }

    public void SendSignal(int signal) => _child.SendSignal(signal);

    public Task<int> WaitForExitAsync(TimeSpan limit) => _child.WaitForExitAsync(limit);

    public void Dispose() => _child.Dispose();
}
