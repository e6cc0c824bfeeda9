using System.Globalization;
using System.Text.RegularExpressions;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Engines;

/// <summary>Issue 8 §8: the limits that used to be silent are the system's, and said.</summary>
public sealed class AdmissionDefaultsTests
{
    /// <summary>
    /// The listen queue is the system's maximum, as the kernel reports it for the listener (`ss -ltn`: Send-Q of a
    /// listening socket is its backlog). With 512, 2,000 simultaneous joins left 206 connections never accepted.
    /// </summary>
    [SkippableFact]
    public async Task The_listen_backlog_is_the_systems_maximum()
    {
        Skip.If(!File.Exists("/proc/sys/net/core/somaxconn"), "needs Linux's /proc/sys/net/core/somaxconn");
        Skip.If(ExternalServer.Find("ss") is null, "ss (iproute2) is not installed");
        var somaxconn = int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), CultureInfo.InvariantCulture);
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());

        var listing = await ToolProcess.RunAsync("ss", "-Hltn", $"sport = :{server.LocalEndPoint.Port}");

        var backlog = Regex.Match(listing, @"LISTEN\s+\d+\s+(\d+)");
        Assert.True(backlog.Success, listing);
        Assert.Equal(somaxconn, int.Parse(backlog.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The threads engine serves 1,000 sessions by default and refuses the next one politely, saying why.</summary>
    [Fact]
    public async Task The_threads_engine_refuses_beyond_its_default_limit()
    {
        await using var server = ServerHost.Start(EngineKind.Threads, new ServerOptions(), new EchoService());
        Assert.Equal(1_000, server.MaxSessions);
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 1_000; i++)
            {
                clients.Add(await TestClient.ConnectAsync(server.LocalEndPoint));
            }

            await Deadline.UntilAsync(() => server.ActiveSessions == 1_000, "1,000 sessions");
            using var extra = await TestClient.ConnectAsync(server.LocalEndPoint);

            Assert.True(await extra.ReceiveEndAsync());
            Assert.Equal("ok"u8.ToArray(), await clients[^1].EchoAsync("ok"u8.ToArray()));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
