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
    private readonly ChildProcess _child;

    private ExternalServer(ChildProcess child) => _child = child;

    public int Pid => _child.Pid;

    public bool HasExited => _child.HasExited;

    public string Log => _child.Output;

    /// <summary>The binary's full path from PATH or the sbin directories (apt puts daemons there), or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    public static ExternalServer Start(string binary, IEnumerable<string> arguments, string? workingDirectory = null)
        => new(ChildProcess.Start([binary, .. arguments], workingDirectory));

    /// <summary>Polls until <paramref name="ready"/> holds; fails with the server's own output if it died or took too long.</summary>
    public async Task WaitUntilReadyAsync(Func<Task<bool>> ready, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"server exited with {_child.ExitCode} during start:\n{Log}");
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

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
