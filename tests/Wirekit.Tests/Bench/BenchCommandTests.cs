using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Bench;
using Wirekit.Cli.Commands;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;

namespace Wirekit.Tests.Bench;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_echo_prints_the_figures_and_their_json()
    {
        await using var server = ServerHost.Start(EchoLoadGeneratorTests.Engine, new ServerOptions(), new EchoService());
        var options = new EchoLoadOptions
        {
            Target = server.LocalEndPoint, Clients = 2, MessagesInFlight = 10,
            Duration = TimeSpan.FromMilliseconds(300), Warmup = TimeSpan.FromMilliseconds(100),
        };

        var text = new StringWriter();
        Assert.Equal(0, await BenchEchoCommand.RunAsync(text, options, asJson: false, NullLogger.Instance, default).WaitAsync(Deadline.Default));
        var json = new StringWriter();
        Assert.Equal(0, await BenchEchoCommand.RunAsync(json, options, asJson: true, NullLogger.Instance, default).WaitAsync(Deadline.Default));

        Assert.Contains("messages/s", text.ToString());
        Assert.Contains("latency p99.9", text.ToString());
        using var report = JsonDocument.Parse(json.ToString());
        Assert.True(report.RootElement.GetProperty("messagesPerSecond").GetDouble() > 0);
        Assert.Equal(0, report.RootElement.GetProperty("errors").GetInt32());
        Assert.True(report.RootElement.GetProperty("drained").GetBoolean());
        Assert.True(report.RootElement.GetProperty("latencyMicroseconds").GetProperty("samples").GetInt64() > 0);
    }

    [Fact]
    public async Task Bench_echo_takes_the_server_as_host_colon_port_and_prints_camel_case_json()
    {
        await using var server = ServerHost.Start(EchoLoadGeneratorTests.Engine, new ServerOptions(), new EchoService());
        var target = $"127.0.0.1:{server.LocalEndPoint.Port}";

        var (exit, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("bench", "echo", target, "-c", "1", "-m", "4", "-t", "0.3", "--warmup", "0.1", "--json"));

        Assert.True(exit == 0, errors);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(target, report.RootElement.GetProperty("target").GetString());
        Assert.True(report.RootElement.GetProperty("mibPerSecond").GetDouble() > 0);
        Assert.True(report.RootElement.GetProperty("latencyMicroseconds").GetProperty("p99Us").GetDouble() > 0);
    }

    [Fact]
    public async Task Bench_echo_that_opens_nothing_prints_one_error_and_under_json_only_the_error_object()
    {
        var port = ExternalServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("bench", "echo", "127.0.0.1", port, "-c", "2", "-t", "0.2", "--warmup", "0", "--json", "--quiet"));

        Assert.Equal(1, exit);
        Assert.Equal($"error: no connection to 127.0.0.1:{port} could be opened (is the server running? --verbose says why)", errors.Trim());
        using var report = JsonDocument.Parse(output);
        Assert.Equal(1, report.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Bench_chat_prints_its_figures_as_json()
    {
        var (exit, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("bench", "chat", "-c", "3", "--senders", "1", "-r", "100", "-t", "0.3", "-e", "select", "--json"));

        Assert.True(exit == 0, errors);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal("select", root.GetProperty("engine").GetString());
        Assert.Equal(3, root.GetProperty("clients").GetInt32());
        Assert.True(root.GetProperty("sent").GetInt64() > 0);
        Assert.Equal(root.GetProperty("sent").GetInt64() * 3, root.GetProperty("expected").GetInt64());
        Assert.Equal(root.GetProperty("delivered").GetInt64(), root.GetProperty("latencyMilliseconds").GetProperty("samples").GetInt64());
    }

    [Fact]
    public async Task Bench_connections_that_holds_too_few_says_so_in_one_line_and_exits_1()
    {
        // Accepts and hangs up at once: every connection opens, none survives the echo check.
        await using var rude = new ScriptedServer(_ => Task.CompletedTask);

        var (exit, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("bench", "connections", $"127.0.0.1:{rude.Port}", "-n", "5", "--json"));

        Assert.Equal(1, exit);
        Assert.Equal("error: cycle 1: 0 of 5 connections held (0 not opened, 5 failed the echo check)", errors.Trim());
        using var report = JsonDocument.Parse(output);
        Assert.Equal(0, report.RootElement.GetProperty("held").GetInt32());
    }

    [SkippableFact]
    public async Task Bench_connections_reports_held_connections_and_memory_per_connection()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "server memory comes from /proc");
        var (server, port) = await StartServerAsync("echo");
        using var _ = server;

        using var report = await RunConnectionsAsync(port, new ConnectionCycleOptions { ReleaseTimeout = TimeSpan.FromSeconds(10), ServerPid = server.Id });

        var root = report.RootElement;
        Assert.Equal(50, root.GetProperty("held").GetInt32());
        Assert.True(root.GetProperty("serverRssBytesBefore").GetInt64() > 0);
        Assert.True(root.GetProperty("serverRssBytesAfter").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("serverRssKiBPerConnection").ValueKind);
        var cycle = Assert.Single(root.GetProperty("cycles").EnumerateArray());
        Assert.True(cycle.GetProperty("serverReleased").GetBoolean());
    }

    [SkippableFact]
    public async Task Bench_connections_cycles_read_the_servers_rss_open_closed_and_after_settling()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "server memory and descriptors come from /proc");
        var (server, port) = await StartServerAsync("echo");
        using var _ = server;

        using var report = await RunConnectionsAsync(
            port, new ConnectionCycleOptions { ReleaseTimeout = TimeSpan.FromSeconds(10), ServerPid = server.Id, Cycles = 3, Settle = TimeSpan.FromMilliseconds(100) });

        var cycles = report.RootElement.GetProperty("cycles").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], cycles.Select(c => c.GetProperty("number").GetInt32()));
        Assert.All(cycles, c =>
        {
            Assert.Equal(50, c.GetProperty("held").GetInt32());
            Assert.True(c.GetProperty("serverReleased").GetBoolean(), "the server closed its side of every connection");
            Assert.True(c.GetProperty("serverRssBytesOpen").GetInt64() > 0);
            Assert.True(c.GetProperty("serverRssBytesClosed").GetInt64() > 0);
        });
        Assert.Equal(0.1, report.RootElement.GetProperty("settleSeconds").GetDouble());
        Assert.True(report.RootElement.GetProperty("serverRssBytesSettled").GetInt64() > 0);
    }

    [SkippableFact]
    public async Task Bench_connections_without_the_echo_check_holds_chat_members_and_sees_them_leave()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "server descriptors come from /proc");
        var (server, port) = await StartServerAsync("chat");
        using var _ = server;

        using var report = await RunConnectionsAsync(
            port, new ConnectionCycleOptions { ReleaseTimeout = TimeSpan.FromSeconds(10), ServerPid = server.Id, Cycles = 2, CheckEcho = false });

        var cycles = report.RootElement.GetProperty("cycles").EnumerateArray().ToArray();
        Assert.Equal(2, cycles.Length);
        Assert.All(cycles, c => Assert.Equal(50, c.GetProperty("held").GetInt32()));
        Assert.All(cycles, c => Assert.True(c.GetProperty("serverReleased").GetBoolean()));
        Assert.Equal(0, report.RootElement.GetProperty("echoFailures").GetInt32());
    }

    [Theory]
    [InlineData("error: --size must be at least 1 byte", "bench", "echo", "--size", "0")]
    [InlineData("error: --messages x --size must stay within 1 GiB per connection", "bench", "echo", "--size", "1048576", "--messages", "2000")]
    [InlineData("error: --seconds must be more than 0", "bench", "echo", "--seconds", "0")]
    [InlineData("error: --count must be at least 1", "bench", "connections", "--count", "0")]
    [InlineData("error: --cycles must be at least 1", "bench", "connections", "--cycles", "0")]
    [InlineData("error: --senders cannot be more than the clients", "bench", "chat", "--clients", "2", "--senders", "3")]
    [InlineData("error: --rate cannot be negative", "bench", "chat", "--rate", "-1")]
    // -s is size everywhere; bench chat has no size, and its senders are --senders only.
    [InlineData("error: unrecognized option '-s'; did you mean -c? (see wirekit bench chat --help)", "bench", "chat", "-s", "2")]
    public async Task Options_the_library_refuses_are_reported_with_the_flag_and_exit_code_2(string line, params string[] arguments)
    {
        using var cli = CliProcess.Start(arguments);

        Assert.Equal(2, await cli.WaitForExitAsync(Deadline.Default));
        Assert.Equal(line, cli.Output);
    }

    /// <summary>`wirekit SERVICE serve` as a process of its own, so its RSS and sockets are the server's alone.</summary>
    private static async Task<(CliProcess Server, int Port)> StartServerAsync(string service)
    {
        var server = CliProcess.Start(service, "serve", "--port", "0");
        try
        {
            return (server, await server.WaitForListeningPortAsync(service));
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private static async Task<JsonDocument> RunConnectionsAsync(int port, ConnectionCycleOptions cycles)
    {
        var options = new IdleConnectionOptions { Target = new(System.Net.IPAddress.Loopback, port), Count = 50 };
        var json = new StringWriter();
        var exit = await BenchConnectionsCommand.RunAsync(json, options, cycles, asJson: true, NullLogger.Instance, default)
            .WaitAsync(Deadline.Default);
        Assert.Equal(0, exit);
        return JsonDocument.Parse(json.ToString());
    }
}
