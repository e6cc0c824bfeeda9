using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// A real server binary (dnsmasq, nginx, vsftpd) started by a test in the foreground as our child process and
/// stopped by its PID on dispose, never by name. Its output is kept so a failed start explains itself.
/// </summary>
internal sealed class ExternalServer : IAsyncDisposable
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ExternalServer(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>The binary's full path from PATH or the sbin directories (apt puts daemons there), or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    public static ExternalServer Start(string binary, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var server = new ExternalServer(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls until <paramref name="ready"/> holds; fails with the server's own output if it died or took too long.</summary>
    public async Task WaitUntilReadyAsync(Func<Task<bool>> ready, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode} during start:\n{Log}");
            }

            if (await ready())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"server not ready within {limit}:\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<bool> AcceptsTcpAsync(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// A loopback port free for both TCP and UDP right now. A server started a moment later may still lose a race
    /// for it, which is why callers retry a start that fails.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // That port is taken for UDP; draw another.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Our own child and whatever it forked (vsftpd's sessions), by PID.
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log) { _log.AppendLine(line); }
        }
    }
}
