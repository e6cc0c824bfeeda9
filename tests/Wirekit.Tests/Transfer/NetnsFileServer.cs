using System.Diagnostics;
using System.Net;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// `wirekit file serve` inside a network namespace of its own, reached over a veth pair with private addresses
/// (10.213.N.1 here, 10.213.N.2 there), so a test can drop packets or down the link without touching any other
/// traffic. Needs root, iproute2 and iptables; <see cref="SkipReason"/> says what is missing. Everything is removed
/// on dispose: the server by the PID started here, the namespace (which takes the veth pair with it).
/// </summary>
internal sealed class NetnsFileServer : IAsyncDisposable
{
    private readonly string _namespace;
    private readonly string _hostLink;
    private Process? _server;

    private NetnsFileServer(string root)
    {
        var id = Random.Shared.Next(0x100000, 0xFFFFFF).ToString("x6");
        _namespace = $"wkf{id}";
        _hostLink = $"wkf{id}a";
        var subnet = Random.Shared.Next(1, 255);
        HostAddress = IPAddress.Parse($"10.213.{subnet}.1");
        ServerAddress = IPAddress.Parse($"10.213.{subnet}.2");
        Root = root;
    }

    public IPAddress HostAddress { get; }

    public IPAddress ServerAddress { get; }

    public string Root { get; }

    public const int Port = 25002;

    public static string? SkipReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are Linux-only";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "network namespaces need root";
        }

        foreach (var tool in new[] { "ip", "iptables" })
        {
            if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Join(d, tool))))
            {
                return $"{tool} is not installed (test.sh installs iproute2 and iptables as root)";
            }
        }

        return null;
    }

    public static async Task<NetnsFileServer> StartAsync(string root)
    {
        var scope = new NetnsFileServer(root);
        try
        {
            await scope.CreateAsync();
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops a fraction of the packets the server sends (its data), as the iptables rule does.</summary>
    public Task DropOutgoingAsync(double probability)
        => RunAsync("ip", "netns", "exec", _namespace, "iptables", "-A", "OUTPUT", "-m", "statistic", "--mode", "random",
            "--probability", probability.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j", "DROP");

    public Task StopDroppingAsync() => RunAsync("ip", "netns", "exec", _namespace, "iptables", "-F", "OUTPUT");

    public Task SetLinkAsync(bool up) => RunAsync("ip", "link", "set", _hostLink, up ? "up" : "down");

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync().WaitAsync(FileServerScope.Limit);
        }

        _server?.Dispose();
        await RunAsync("ip", "netns", "del", _namespace).ContinueWith(_ => { });
    }

    private async Task CreateAsync()
    {
        await RunAsync("ip", "netns", "add", _namespace);
        await RunAsync("ip", "link", "add", _hostLink, "type", "veth", "peer", "name", $"{_namespace}b");
        await RunAsync("ip", "link", "set", $"{_namespace}b", "netns", _namespace);
        await RunAsync("ip", "addr", "add", $"{HostAddress}/30", "dev", _hostLink);
        await RunAsync("ip", "link", "set", _hostLink, "up");
        await RunAsync("ip", "netns", "exec", _namespace, "ip", "addr", "add", $"{ServerAddress}/30", "dev", $"{_namespace}b");
        await RunAsync("ip", "netns", "exec", _namespace, "ip", "link", "set", $"{_namespace}b", "up");
        await RunAsync("ip", "netns", "exec", _namespace, "ip", "link", "set", "lo", "up");

        var cli = Path.Join(AppContext.BaseDirectory, "Wirekit.Cli.dll");
        var start = new ProcessStartInfo("ip", ["netns", "exec", _namespace, "dotnet", cli, "file", "serve", "--root", Root, "--bind", ServerAddress.ToString(), "--port", Port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _server = Process.Start(start)!;
        _ = _server.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + FileServerScope.Limit;
        while (true)
        {
            var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(FileServerScope.Limit)
                ?? throw new InvalidOperationException("the file server in the namespace exited before listening");
            if (line.StartsWith("file server", StringComparison.Ordinal))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the file server in the namespace did not start");
            }
        }

        // Keep draining its log so a full pipe never blocks it.
        _ = _server.StandardOutput.ReadToEndAsync();
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(FileServerScope.Limit);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {await error}");
        }
    }
}
