using DnsClient;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Diagnostics;

/// <summary>
/// A real dnsmasq on 127.0.0.1 at a high port, answering only the records below (no upstream, no /etc/hosts),
/// shared by the DNS tests. Unavailable (not thrown) when the binary is missing, so tests can skip with the reason.
/// </summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    public const string Domain = "x.test";
    public const string Address = "10.1.2.3";

    private ExternalServer? _server;

    public int Port { get; private set; }

    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        var binary = ExternalServer.Find("dnsmasq");
        if (binary is null)
        {
            Unavailable = "dnsmasq not installed (Debian package dnsmasq; ./test.sh installs it as root)";
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            Port = ExternalServer.FreePort();
            _server = ExternalServer.Start(binary, Arguments(Port));
            try
            {
                await _server.WaitUntilReadyAsync(AnswersAsync, TimeSpan.FromSeconds(10));
                return;
            }
            catch (Exception) when (attempt < 3)
            {
                // Lost the port to someone else between FreePort and bind: try another.
                await _server.DisposeAsync();
            }
        }
    }

    private static string[] Arguments(int port) =>
    [
        "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
        "--pid-file=", $"--user={Environment.UserName}", $"--port={port}", "--listen-address=127.0.0.1",
        // A TTL the tests can tell from "unknown" (dnsmasq answers its own records with TTL 0 by default).
        "--bind-interfaces", "--local-ttl=300",
        $"--address=/{Domain}/{Address}",
        "--address=/nx.test/",
        $"--txt-record={Domain},wirekit test record",
        $"--mx-host={Domain},mail.{Domain},10",
        $"--cname=alias.{Domain},{Domain}",
        $"--srv-host=_echo._tcp.{Domain},{Domain},25000,0,5",
        $"--ptr-record=3.2.1.10.in-addr.arpa,{Domain}",
    ];

    private async Task<bool> AnswersAsync()
    {
        var client = new LookupClient(new LookupClientOptions(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Port))
        {
            Timeout = TimeSpan.FromMilliseconds(300),
            Retries = 0,
            UseCache = false,
            ThrowDnsErrors = false,
        });
        try
        {
            var response = await client.QueryAsync(Domain, QueryType.A);
            return response.Answers.Count > 0;
        }
        catch (DnsResponseException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
