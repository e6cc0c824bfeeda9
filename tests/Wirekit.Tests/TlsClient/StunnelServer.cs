using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.TlsClient;

/// <summary>
/// stunnel in server mode terminating TLS on a free loopback port in front of a plaintext server (a Wirekit server
/// started in-process on port 0): the TLS peer the clients are tested against, independent of Wirekit's own TLS
/// server. Optionally requires a client certificate issued by a CA (mutual TLS). Stopped by its PID on dispose.
/// </summary>
internal sealed class StunnelServer : IAsyncDisposable
{
    private readonly ExternalServer _server;
    private readonly string _folder;

    private StunnelServer(ExternalServer server, string folder, int port)
    {
        _server = server;
        _folder = folder;
        Port = port;
    }

    /// <summary>The TLS port on 127.0.0.1.</summary>
    public int Port { get; }

    public string Log => _server.Log;

    public static string? Binary => ExternalServer.Find("stunnel4") ?? ExternalServer.Find("stunnel");

    /// <param name="backendPort">The plaintext server on 127.0.0.1.</param>
    /// <param name="certificate">PEM certificate stunnel presents.</param>
    /// <param name="key">Its PEM key.</param>
    /// <param name="clientCa">When set, a client certificate issued by this CA is required (verifyChain).</param>
    public static async Task<StunnelServer> StartAsync(int backendPort, string certificate, string key, string? clientCa = null)
    {
        var binary = Binary ?? throw new InvalidOperationException("stunnel4 is not installed");
        for (var attempt = 1; ; attempt++)
        {
            var folder = Directory.CreateTempSubdirectory("wirekit-stunnel-").FullName;
            var port = ExternalServer.FreePort();
            var config = Path.Combine(folder, "stunnel.conf");
            await File.WriteAllTextAsync(config, $"""
                foreground = yes
                pid =
                debug = notice
                [wirekit]
                accept = 127.0.0.1:{port}
                connect = 127.0.0.1:{backendPort}
                cert = {certificate}
                key = {key}
                {(clientCa is null ? "" : $"CAfile = {clientCa}\nverifyChain = yes")}
                """);
            var server = ExternalServer.Start(binary, [config], folder);
            try
            {
                await server.WaitUntilReadyAsync(() => ExternalServer.AcceptsTcpAsync(port), Deadline.Default);
                return new StunnelServer(server, folder, port);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Exited at start: most likely another process took the free port first. Draw another.
                await server.DisposeAsync();
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
