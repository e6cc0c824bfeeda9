using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Bench;
using Wirekit.Cli.Commands;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

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
        Assert.True(report.RootElement.GetProperty("MessagesPerSecond").GetDouble() > 0);
        Assert.Equal(0, report.RootElement.GetProperty("Errors").GetInt32());
        Assert.True(report.RootElement.GetProperty("Drained").GetBoolean());
        Assert.True(report.RootElement.GetProperty("LatencyMicroseconds").GetProperty("Samples").GetInt64() > 0);
    }

    [SkippableFact]
    public async Task Bench_connections_reports_held_connections_and_memory_per_connection()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "server memory comes from /proc");
        var (server, port) = await StartServerAsync("echo");
        using var _ = server;

        using var report = await RunConnectionsAsync(port, new ConnectionCycleOptions { ReleaseTimeout = TimeSpan.FromSeconds(10), ServerPid = server.Id });

        var root = report.RootElement;
        Assert.Equal(50, root.GetProperty("Held").GetInt32());
        Assert.True(root.GetProperty("ServerRssBytesBefore").GetInt64() > 0);
        Assert.True(root.GetProperty("ServerRssBytesAfter").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("ServerRssKiBPerConnection").ValueKind);
        var cycle = Assert.Single(root.GetProperty("Cycles").EnumerateArray());
        Assert.True(cycle.GetProperty("ServerReleased").GetBoolean());
    }

    [SkippableFact]
    public async Task Bench_connections_cycles_read_the_servers_rss_open_closed_and_after_settling()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "server memory and descriptors come from /proc");
        var (server, port) = await StartServerAsync("echo");
        using var _ = server;

        using var report = await RunConnectionsAsync(
            port, new ConnectionCycleOptions { ReleaseTimeout = TimeSpan.FromSeconds(10), ServerPid = server.Id, Cycles = 3, Settle = TimeSpan.FromMilliseconds(100) });

        var cycles = report.RootElement.GetProperty("Cycles").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], cycles.Select(c => c.GetProperty("Number").GetInt32()));
        Assert.All(cycles, c =>
        {
            Assert.Equal(50, c.GetProperty("Held").GetInt32());
            Assert.True(c.GetProperty("ServerReleased").GetBoolean(), "the server closed its side of every connection");
            Assert.True(c.GetProperty("ServerRssBytesOpen").GetInt64() > 0);
            Assert.True(c.GetProperty("ServerRssBytesClosed").GetInt64() > 0);
        });
        Assert.Equal(0.1, report.RootElement.GetProperty("SettleSeconds").GetDouble());
        Assert.True(report.RootElement.GetProperty("ServerRssBytesSettled").GetInt64() > 0);
    }

    [SkippableFact]
    public async Task Bench_connections_without_the_echo_check_holds_chat_members_and_sees_them_leave()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "server descriptors come from /proc");
        var (server, port) = await StartServerAsync("chat");
        using var _ = server;

        using var report = await RunConnectionsAsync(
            port, new ConnectionCycleOptions { ReleaseTimeout = TimeSpan.FromSeconds(10), ServerPid = server.Id, Cycles = 2, CheckEcho = false });

        var cycles = report.RootElement.GetProperty("Cycles").EnumerateArray().ToArray();
        Assert.Equal(2, cycles.Length);
        Assert.All(cycles, c => Assert.Equal(50, c.GetProperty("Held").GetInt32()));
        Assert.All(cycles, c => Assert.True(c.GetProperty("ServerReleased").GetBoolean()));
        Assert.Equal(0, report.RootElement.GetProperty("EchoFailures").GetInt32());
    }

    [Theory]
    [InlineData("error: --size must be at least 1 byte", "bench", "echo", "--size", "0")]
    [InlineData("error: --messages x --size must stay within 1 GiB per connection", "bench", "echo", "--size", "1048576", "--messages", "2000")]
    [InlineData("error: --seconds must be more than 0", "bench", "echo", "--seconds", "0")]
    [InlineData("error: --count must be at least 1", "bench", "connections", "--count", "0")]
    [InlineData("error: --cycles must be at least 1", "bench", "connections", "--cycles", "0")]
    [InlineData("error: --senders cannot be more than the clients", "bench", "chat", "--clients", "2", "--senders", "3")]
    [InlineData("error: --rate cannot be negative", "bench", "chat", "--rate", "-1")]
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
