using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// `wirekit file serve` in one network namespace and the test's client sockets in another, on the shared
/// <see cref="NetworkNamespacePair"/> (addresses only inside the namespaces), so a test can drop packets or down the
/// link without touching any other traffic. Needs root, iproute2 and iptables; <see cref="SkipReason"/> says what is
/// missing. On dispose the server is stopped by the PID started here and both namespaces are deleted.
/// </summary>
internal sealed class NetnsFileServer : IAsyncDisposable
{
    public const int Port = 25002;

    private readonly NetworkNamespacePair _pair;
    private Process? _server;

    private NetnsFileServer(NetworkNamespacePair pair, string root)
    {
        _pair = pair;
        Root = root;
    }

    public IPAddress ServerAddress => IPAddress.Parse(_pair.AddressA);

    public string Root { get; }

    /// <summary>Makes client sockets inside the client's namespace; pass it as <c>FileClientOptions.SocketFactory</c>.</summary>
    public Func<Socket> ClientSockets => () => _pair.RunIn(_pair.NamespaceB, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

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
        var pair = await NetworkNamespacePair.CreateAsync();
        if (pair.Unavailable is { } why)
        {
            await pair.DisposeAsync();
            throw new InvalidOperationException($"network namespaces: {why}");
        }

        var scope = new NetnsFileServer(pair, root);
        try
        {
            await scope.StartServerAsync();
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops a fraction of the packets arriving at the client (the server's data), as the iptables rule does.</summary>
    public Task DropOutgoingAsync(double probability) => _pair.AddLossAsync(_pair.NamespaceB, probability);

    public Task StopDroppingAsync() => _pair.ClearLossAsync(_pair.NamespaceB);

    /// <summary>Downs or raises the client's end of the link: no FIN, no RST, just silence.</summary>
    public Task SetLinkAsync(bool up) => _pair.SetLinkAsync(_pair.NamespaceB, up);

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync().WaitAsync(Deadline.Default);
        }

        _server?.Dispose();
        await _pair.DisposeAsync();
    }

    private async Task StartServerAsync()
    {
        var command = CliProcess.Command("file", "serve", "--root", Root, "--bind", _pair.AddressA, "--port", Port.ToString());
        var start = new ProcessStartInfo("ip", ["netns", "exec", _pair.NamespaceA, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _server = Process.Start(start)!;
        _ = _server.StandardError.ReadToEndAsync();
        await Deadline.UntilAsync(() => _server.HasExited || CanConnect(), "the file server in its namespace to listen", Deadline.Default);
        if (_server.HasExited)
        {
            throw new InvalidOperationException($"file serve in {_pair.NamespaceA} exited with {_server.ExitCode}");
        }
    }

    private bool CanConnect()
    {
        using var probe = ClientSockets();
        try
        {
            probe.Connect(ServerAddress, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
