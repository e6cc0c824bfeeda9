using System.Globalization;
using Wirekit.Chat;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Metrics;

/// <summary>
/// The Wirekit meter's figures equal what the test did, on every engine that serves many clients at once (the
/// subclasses at the end). Each test attaches its own collector and reads only its own server's port.
/// </summary>
public abstract class EngineMetricsTests(EngineKind engine)
{
    private readonly string _engine = engine.ToString().ToLowerInvariant();

    [Fact]
    public async Task Echo_sessions_bytes_and_closes_are_counted_as_the_clients_did_them()
    {
        using var collector = new MetricsCollector();
        await using var server = ServerHost.Start(engine, new ServerOptions { Port = 0 }, new EchoService());
        var echo = Labels(server, "echo");
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                clients.Add(await TestClient.ConnectAsync(server.LocalEndPoint));
            }

            await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_connections_active", echo) == 3, "3 active sessions");
            var payload = new byte[1000];
            Random.Shared.NextBytes(payload);
            foreach (var client in clients)
            {
                Assert.Equal(payload, await client.EchoAsync(payload));
            }

            // The client has its echo as soon as the kernel sent it; the count follows the send call's return.
            await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_bytes_sent_total", echo) >= 3000, "3,000 bytes counted as sent");
            var scrape = Scrape.Of(collector);
            Assert.Equal(3, scrape.Value("wirekit_connections_accepted_total", echo));
            Assert.Equal(3000, scrape.Value("wirekit_bytes_received_total", echo));
            Assert.Equal(3000, scrape.Value("wirekit_bytes_sent_total", echo));
            // The service queues one echo per receive: as many messages out as receives in.
            Assert.Equal(scrape.Value("wirekit_messages_received_total", echo), scrape.Value("wirekit_messages_sent_total", echo));
            Assert.Equal(scrape.Value("wirekit_messages_sent_total", echo), scrape.Value("wirekit_outbound_queue_bytes_count", echo));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }

        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_connections_active", echo) == 0, "no active sessions");
        Assert.Equal(3, Scrape.Of(collector).Value("wirekit_sessions_closed_total", [.. echo, ("reason", "peer_closed")]));
    }

    [Fact]
    public async Task A_connection_past_the_limit_is_counted_as_refused_for_the_limit()
    {
        using var collector = new MetricsCollector();
        await using var server = ServerHost.Start(engine, new ServerOptions { Port = 0, MaxConnections = 1 }, new EchoService());
        var echo = Labels(server, "echo");
        using var first = await TestClient.ConnectAsync(server.LocalEndPoint);
        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_connections_active", echo) == 1, "1 active session");
        using var second = await TestClient.ConnectAsync(server.LocalEndPoint);
        Assert.True(await second.ReceiveEndAsync());

        var scrape = Scrape.Of(collector);
        Assert.Equal(1, scrape.Value("wirekit_connections_refused_total", [.. echo, ("reason", "limit")]));
        Assert.Equal(1, scrape.Value("wirekit_connections_accepted_total", echo));
    }

    [Fact]
    public async Task Ten_chat_messages_to_three_members_are_thirty_deliveries()
    {
        using var collector = new MetricsCollector();
        await using var server = ChatTestServer.Start(engine, new ServerOptions { Port = 0 }, new ChatOptions { RateLimit = 0 });
        var chat = new[] { ("server", "chat"), ("engine", _engine), ("port", server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture)) };
        var members = new List<ChatTestClient>();
        try
        {
            // Joins one after another: each join notice reaches the members announced so far, itself included (1 + 2 + 3).
            for (var i = 0; i < 3; i++)
            {
                members.Add(await ChatTestClient.JoinAsAsync(server.LocalEndPoint, $"m{i}"));
            }

            foreach (var member in members.Take(2))
            {
                await member.SkipUntilAsync("-!- m2 joined");
            }

            await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_chat_deliveries_total", chat) >= 6, "the join notices counted");
            var joined = Scrape.Of(collector).Value("wirekit_chat_deliveries_total", chat);
            Assert.Equal(6, joined);
            Assert.Equal(3, Scrape.Of(collector).Value("wirekit_connections_active", chat));

            for (var m = 0; m < 10; m++)
            {
                await members[0].SendLineAsync($"message {m}");
            }

            foreach (var member in members)
            {
                await member.SkipUntilAsync("<m0> message 9");
            }

            await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_chat_deliveries_total", chat) >= joined + 30, "30 more deliveries");
            Assert.Equal(30, Scrape.Of(collector).Value("wirekit_chat_deliveries_total", chat) - joined);
        }
        finally
        {
            members.ForEach(member => member.Dispose());
        }
    }

    private (string, string)[] Labels(IServer server, string name)
        => [("server", name), ("engine", _engine), ("port", server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture))];
}

public sealed class ThreadsEngineMetricsTests() : EngineMetricsTests(EngineKind.Threads);

public sealed class SelectEngineMetricsTests() : EngineMetricsTests(EngineKind.Select);

public sealed class AsyncEngineMetricsTests() : EngineMetricsTests(EngineKind.Async);
