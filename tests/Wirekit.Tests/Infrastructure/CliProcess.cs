using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// The `wirekit` CLI as a child process (the built Wirekit.Cli.dll beside the tests), for what only a real process
/// shows: signals, exit codes, console output. Killed by its own PID on dispose, never by name.
/// </summary>
internal sealed partial class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly Lock _lock = new();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>The command line that runs the CLI (the test host's dotnet plus the CLI's dll), e.g. for `ip netns exec`.</summary>
    public static string[] Command(params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalServer.Find("dotnet") ?? "dotnet";
        return [host, Path.Combine(AppContext.BaseDirectory, "Wirekit.Cli.dll"), .. arguments];
    }

    public static CliProcess Start(params string[] arguments) => StartCommand(Command(arguments));

    /// <summary>Runs a whole command line whose end is <see cref="Command"/> (e.g. behind `prlimit` or `ip netns exec`).</summary>
    public static CliProcess StartCommand(string[] commandLine)
    {
        var info = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in commandLine[1..])
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Record(e.Data);
        process.ErrorDataReceived += (_, e) => cli.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Waits for a "listening on ADDRESS:PORT" line and returns the port.</summary>
    public async Task<int> WaitForListeningPortAsync(string server)
    {
        int port = 0;
        await Deadline.UntilAsync(
            () =>
            {
                var match = Regex.Match(Output, $@"{Regex.Escape(server)} server \(\w+\) listening on [\d.]+:(\d+)");
                port = match.Success ? int.Parse(match.Groups[1].Value) : 0;
                return match.Success || _process.HasExited;
            },
            $"the {server} server to listen");
        return port != 0 ? port : throw new InvalidOperationException($"the CLI exited: {Output}");
    }

    public void SendSignal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        await _process.WaitForExitAsync().WaitAsync(limit);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _lines.Add(line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
