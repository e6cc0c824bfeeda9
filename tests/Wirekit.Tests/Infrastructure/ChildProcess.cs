using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// A long-running child process (the CLI, a real server binary) whose stdout and stderr lines are kept as they come,
/// so a test can wait for a line and a failure explains itself. Killed with its whole tree, by PID, on dispose.
/// </summary>
internal sealed partial class ChildProcess : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan ReapTime = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly Lock _lock = new();

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The child's stdin, for peers driven line by line (openssl s_client, say).</summary>
    public StreamWriter Input => _process.StandardInput;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line written so far, stdout and stderr interleaved as they arrived.</summary>
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

    /// <summary>Redirected standard streams, no shell, the arguments passed as they are (no quoting rules).</summary>
    public static ProcessStartInfo StartInfo(string[] commandLine, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in commandLine[1..])
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    public static ChildProcess Start(string[] commandLine, string? workingDirectory = null)
    {
        var process = new Process { StartInfo = StartInfo(commandLine, workingDirectory) };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Record(e.Data);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
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

    /// <summary>Kills the tree without waiting for it to be reaped (for synchronous <c>using</c>).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Our own child and whatever it forked (a server's workers), by PID.
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(ReapTime);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
        }
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
