using System.Text.Json;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Diagnostics;

/// <summary>One JSON style in every diagnostics command (camelCase, docs/json.md), and their options' ranges.</summary>
public sealed class DiagnosticsJsonTests
{
    [Fact]
    public void Sockopt_json_keys_are_camelCase()
    {
        var output = new StringWriter();

        SockoptCommand.Run(output, asJson: true);

        using var json = JsonDocument.Parse(output.ToString());
        var tcp = json.RootElement[0];
        Assert.Equal("tcp", tcp.GetProperty("protocol").GetString()?.ToLowerInvariant());
        Assert.True(tcp.GetProperty("sendBufferSize").GetInt32() > 0);
        Assert.True(tcp.TryGetProperty("noDelay", out _));
        Assert.DoesNotContain("\"SendBufferSize\"", output.ToString());
    }

    [SkippableFact]
    public void Ports_json_keys_are_camelCase_and_a_pid_less_socket_leaves_pid_out()
    {
        Skip.IfNot(Wirekit.Diagnostics.SocketTable.KnowsOwners, "/proc/net/tcp is Linux-only");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var output = new StringWriter();

        PortsCommand.Run(output, TextWriter.Null, port, listeningOnly: true, asJson: true);

        using var json = JsonDocument.Parse(output.ToString());
        var entry = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal($"127.0.0.1:{port}", entry.GetProperty("local").GetString());
        Assert.Equal(Environment.ProcessId, entry.GetProperty("pid").GetInt32());
    }

    [Theory]
    [InlineData("ports --port 70000", "error: --port: 70000 is not a port (1-65535) (see wirekit ports --help)")]
    [InlineData("ports --port 0", "error: --port: 0 is not a port (1-65535) (see wirekit ports --help)")]
    [InlineData("discover -s 1", "error: unrecognized option '-s'")]
    public async Task An_option_out_of_its_range_is_a_usage_error(string line, string expected)
    {
        var errors = new StringWriter();

        var exit = await CliRunner.RunAsync(CommandCatalog.Root(), line.Split(' '), TextWriter.Null, errors, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith(expected, errors.ToString());
    }
}
