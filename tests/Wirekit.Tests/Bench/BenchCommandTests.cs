using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Bench;
using Wirekit.Cli.Commands;

namespace Wirekit.Tests.Bench;

public sealed class BenchCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bench_echo_prints_the_figures_and_their_json()
    {
        await using var server = new LoopbackEchoServer();
        var options = new EchoLoadOptions
        {
            Target = server.EndPoint, Clients = 2, MessagesInFlight = 10,
            Duration = TimeSpan.FromMilliseconds(300), Warmup = TimeSpan.FromMilliseconds(100),
        };

        var text = new StringWriter();
        Assert.Equal(0, await BenchEchoCommand.RunAsync(text, options, asJson: false, NullLogger.Instance, default).WaitAsync(Limit));
        var json = new StringWriter();
        Assert.Equal(0, await BenchEchoCommand.RunAsync(json, options, asJson: true, NullLogger.Instance, default).WaitAsync(Limit));

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
        await using var server = new LoopbackEchoServer();
        var options = new IdleConnectionOptions { Target = server.EndPoint, Count = 50 };

        var json = new StringWriter();
        var exit = await BenchConnectionsCommand.RunAsync(
            json, options, Environment.ProcessId, asJson: true, NullLogger.Instance, default).WaitAsync(Limit);

        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(json.ToString());
        Assert.Equal(50, report.RootElement.GetProperty("Held").GetInt32());
        Assert.True(report.RootElement.GetProperty("ServerRssBytesAfter").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, report.RootElement.GetProperty("ServerRssKiBPerConnection").ValueKind);
    }
}
