using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;

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
        var answer = Assert.Single(json.RootElement.GetProperty("answers").EnumerateArray());
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
    public async Task The_system_resolver_answers_for_localhost_with_headers_and_an_unknown_ttl()
    {
        var (exit, output, _) = await RunAsync(new DnsCommand.Settings("localhost", null, null, 5, Json: false));

        Assert.Equal(0, exit);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("NAME       TYPE      TTL  DATA", lines[0]);
        Assert.Contains("localhost  A           -  127.0.0.1", lines);
    }

    [Fact]
    public async Task Under_json_the_system_resolvers_ttl_is_null_not_zero()
    {
        var (exit, output, _) = await RunAsync(new DnsCommand.Settings("localhost", null, null, 5, Json: true));

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("system resolver", json.RootElement.GetProperty("resolver").GetString());
        var answer = json.RootElement.GetProperty("answers").EnumerateArray().First(a => a.GetProperty("data").GetString() == "127.0.0.1");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("ttl").ValueKind);
    }

    [SkippableFact]
    public async Task The_record_type_is_a_second_word_as_dig_takes_it_and_the_ttl_comes_from_the_server()
    {
        Skip.If(dnsmasq.Unavailable is not null, dnsmasq.Unavailable);
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("dns", DnsmasqFixture.Domain, "MX", "--server", Server, "--json"));

        Assert.True(exit == 0, error);
        Assert.Contains("\"type\": \"MX\"", output);
        Assert.Matches("\"ttl\": [1-9]", output);
    }

    [Theory]
    [InlineData(new[] { "dns", "" }, "error: an empty name cannot be looked up; give a host name or an IP address")]
    [InlineData(new[] { "dns", "x.test", "BOGUS" }, "error: type must be one of A, AAAA, MX, TXT, CNAME, NS, PTR, SRV, SOA (not 'BOGUS') (see wirekit dns --help)")]
    [InlineData(new[] { "dns", "x.test", "-t", "MX" }, "error: unrecognized option '-t'")]
    [InlineData(new[] { "dns", "x.test", "--server", "127.0.0.1:0" }, "error: '127.0.0.1:0': port 0 cannot be connected to (1-65535)")]
    public async Task A_lookup_that_cannot_work_is_a_usage_error(string[] line, string expected)
    {
        var errors = new StringWriter();

        var exit = await CliRunner.RunAsync(CommandCatalog.Root(), line, TextWriter.Null, errors, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith(expected, errors.ToString());
        Assert.Single(errors.ToString().TrimEnd().Split('\n'));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(DnsCommand.Settings settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            var exit = await DnsCommand.RunAsync(settings, output, CancellationToken.None).WaitAsync(Deadline.Default);
            return (exit, output.ToString(), error.ToString());
        }
        catch (CommandFailure failure)
        {
            // What the runner prints for it.
            return (failure.ExitCode, output.ToString(), $"error: {failure.Message}\n");
        }
    }
}
