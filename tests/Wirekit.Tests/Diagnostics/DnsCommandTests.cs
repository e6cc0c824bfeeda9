using Wirekit.Cli.Commands;

namespace Wirekit.Tests.Diagnostics;

public sealed class DnsCommandTests(DnsmasqFixture dnsmasq) : IClassFixture<DnsmasqFixture>
{
    private string Server => $"127.0.0.1:{dnsmasq.Port}";

    [SkippableTheory]
    [InlineData(DnsmasqFixture.Domain, "A", DnsmasqFixture.Address)]
    [InlineData(DnsmasqFixture.Domain, "MX", "10 mail.x.test")]
    [InlineData(DnsmasqFixture.Domain, "TXT", "\"wirekit test record\"")]
    [InlineData("alias.x.test", "CNAME", "x.test")]
    [InlineData("_echo._tcp.x.test", "SRV", "0 5 25000 x.test")]
    public async Task Record_types_come_back_from_the_named_server(string name, string type, string expected)
    {
        Skip.If(dnsmasq.Unavailable is not null, dnsmasq.Unavailable);
        var (exit, output, _) = await RunAsync(new DnsCommand.Settings(name, type, Server, 5, Json: false));

        Assert.Equal(0, exit);
        Assert.Contains($" {type} ", output);
        Assert.Contains(expected, output);
    }

    [SkippableFact]
    public async Task An_ip_address_is_looked_up_in_reverse()
    {
        Skip.If(dnsmasq.Unavailable is not null, dnsmasq.Unavailable);
        var (exit, output, _) = await RunAsync(new DnsCommand.Settings(DnsmasqFixture.Address, null, Server, 5, Json: true));

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var answer = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("PTR", answer.GetProperty("type").GetString());
        Assert.Equal(DnsmasqFixture.Domain, answer.GetProperty("data").GetString());
    }

    [SkippableFact]
    public async Task NXDOMAIN_is_a_one_line_error_and_a_non_zero_exit()
    {
        Skip.If(dnsmasq.Unavailable is not null, dnsmasq.Unavailable);
        var (exit, _, error) = await RunAsync(new DnsCommand.Settings("missing.nx.test", "A", Server, 5, Json: false));

        Assert.Equal(1, exit);
        Assert.StartsWith("error: missing.nx.test: no such name (NXDOMAIN)", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_an_error()
    {
        // A port we hold open but never read from: the query goes unanswered.
        using var silent = Wirekit.Udp.DatagramSocket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var (exit, _, error) = await RunAsync(
            new DnsCommand.Settings("x.test", "A", silent.LocalEndPoint.ToString(), 0.5, Json: false));

        Assert.Equal(1, exit);
        Assert.Contains("timeout", error);
    }

    [Fact]
    public async Task The_system_resolver_answers_for_localhost()
    {
        var (exit, output, _) = await RunAsync(new DnsCommand.Settings("localhost", null, null, 5, Json: false));

        Assert.Equal(0, exit);
        Assert.Contains("127.0.0.1", output);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(DnsCommand.Settings settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await DnsCommand.RunAsync(settings, output, error, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        return (exit, output.ToString(), error.ToString());
    }
}
