using System.Net;
using System.Text.RegularExpressions;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Proxy;

/// <summary>`wirekit proxy` as a person runs it: the banner, control commands on stdin, SIGTERM ending it with exit 0 and its totals.</summary>
public sealed class ProxyCliTests
{
    private const int SigTerm = 15;

    [Fact]
    public async Task The_proxy_forwards_answers_control_commands_and_exits_0_with_its_totals_on_sigterm()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        using var proxy = CliProcess.Start("proxy", "--listen", "127.0.0.1:0", "--target", $"127.0.0.1:{echo.LocalEndPoint.Port}", "--up-latency", "20");
        var port = 0;
        await Deadline.UntilAsync(() => (port = ListeningPort(proxy.Output)) != 0 || proxy.HasExited, "the proxy to listen");
        Assert.Contains($"proxy listening on 127.0.0.1:{port}, forwarding to 127.0.0.1:{echo.LocalEndPoint.Port}; faults up: latency 20; down: none (type help for commands)", proxy.Output);

        using (var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            await client.SendAsync("hello"u8.ToArray());
            Assert.Equal("hello"u8.ToArray(), await client.ReceiveExactlyAsync(5));
        }

        await Deadline.UntilAsync(() => proxy.Output.Contains("faults: up latency;", StringComparison.Ordinal), "the connection's log line");
        Assert.Matches(@"info: Wirekit\.Proxy\[601\] connection 1 from 127\.0\.0\.1:\d+: closed; up 5 B, down 5 B; faults: up latency; [\d.]+ s", proxy.Output);
        proxy.SendSignal(SigTerm);
        Assert.Equal(0, await proxy.WaitForExitAsync(Deadline.Default));
        Assert.Contains("proxy stopped: 1 connections (0 refused), up 5 B, down 5 B", proxy.Output);
    }

    [Fact]
    public async Task Under_json_sigterm_prints_the_totals_as_one_document()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        // Under --json stdout holds only the final document: no banner to read the port from, so pick one.
        var port = ExternalServer.FreePort();
        using var proxy = CliProcess.Start("proxy", "--listen", $"127.0.0.1:{port}", "--target", $"127.0.0.1:{echo.LocalEndPoint.Port}", "--json");
        await Deadline.UntilAsync(() => Wirekit.Diagnostics.SocketTable.Read(port, listeningOnly: true).Count > 0 || proxy.HasExited, "the proxy to listen");
        using (var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            await client.SendAsync("hello"u8.ToArray());
            Assert.Equal("hello"u8.ToArray(), await client.ReceiveExactlyAsync(5));
        }

        await Deadline.UntilAsync(() => proxy.Output.Contains("connection 1 from", StringComparison.Ordinal), "the connection's log line");
        proxy.SendSignal(SigTerm);

        Assert.Equal(0, await proxy.WaitForExitAsync(Deadline.Default));
        var json = proxy.Output[proxy.Output.IndexOf('{', StringComparison.Ordinal)..proxy.Output.LastIndexOf('}')] + "}";
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(1, document.RootElement.GetProperty("accepted").GetInt64());
        Assert.Equal(5, document.RootElement.GetProperty("bytesUp").GetInt64());
        Assert.Equal(1, document.RootElement.GetProperty("ends").GetProperty("closed").GetInt64());
    }

    [Theory]
    [InlineData("--target", "127.0.0.1", "error: --target: '127.0.0.1' needs a port (host:port)")]
    [InlineData("--latency", "soon", "error: --latency: 'soon' is not a number (0 or more)")]
    [InlineData("--down-corrupt", "2", "error: --down-corrupt: '2' is not a probability (0-1)")]
    public async Task A_bad_value_is_one_error_line_and_exit_2(string option, string value, string expected)
    {
        var arguments = option == "--target" ? new[] { "proxy", option, value } : new[] { "proxy", "--target", "127.0.0.1:1", option, value };
        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command(arguments));
        Assert.Equal((2, expected), (exit, error.Trim()));
    }

    private static int ListeningPort(string output)
        => Regex.Match(output, @"proxy listening on 127\.0\.0\.1:(\d+)") is { Success: true } match ? int.Parse(match.Groups[1].Value) : 0;
}
