using System.Globalization;
using System.Text;
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
        var chat = Labels(server.LocalEndPoint.Port, "chat");
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

    [Fact]
    public async Task A_flooder_is_counted_as_a_flood_drop_and_a_close_by_the_service()
    {
        using var collector = new MetricsCollector();
        await using var server = ChatTestServer.Start(engine, new ServerOptions { Port = 0 }, new ChatOptions { RateLimit = 5, Burst = 5 });
        var chat = Labels(server.LocalEndPoint.Port, "chat");
        using var calm = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "calm");
        using var flooder = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "flooder");
        await flooder.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"flood {i}\n"))));
        await calm.SkipUntilAsync("-!- flooder left (flooding)");

        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_connections_active", chat) == 1, "the flooder's session closed");
        var scrape = Scrape.Of(collector);
        Assert.Equal(1, scrape.Value("wirekit_chat_drops_total", [.. chat, ("reason", "flood")]));
        Assert.Equal(0, scrape.Value("wirekit_chat_drops_total", [.. chat, ("reason", "slow_consumer")]));
        Assert.Equal(1, scrape.Value("wirekit_sessions_closed_total", [.. chat, ("reason", "closed_by_service")]));
    }

    [Fact]
    public async Task A_member_that_stops_reading_is_counted_as_a_slow_consumer_drop()
    {
        using var collector = new MetricsCollector();
        // Small buffers and queue, so the member that does not read overflows quickly and the queue bound decides.
        var serverOptions = new ServerOptions { Port = 0, MaxQueuedBytes = 64 * 1024, SendBufferSize = 4096 };
        await using var server = ChatTestServer.Start(engine, serverOptions, new ChatOptions { RateLimit = 0, MaxRepeats = 0, EchoSender = false });
        var chat = Labels(server.LocalEndPoint.Port, "chat");
        using var stalled = await ChatTestClient.ConnectAsync(server.LocalEndPoint, receiveBuffer: 4096);
        await stalled.SendLineAsync("/nick stalled");
        using var reader = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "reader");
        using var talker = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "talker");
        // The talker sends a batch only once the reader has it all, so only the member that does not read falls behind.
        var batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('.', 200) + "\n", 50)));
        var dropped = false;
        for (var round = 0; round < 100 && !dropped; round++)
        {
            await talker.SendRawAsync(batch);
            for (var received = 0; received < 50;)
            {
                var text = await reader.ReadLineAsync();
                received += text.StartsWith("<talker>", StringComparison.Ordinal) ? 1 : 0;
                dropped |= text == "-!- stalled left (slow consumer)";
            }
        }

        Assert.True(dropped, "the member that does not read was never dropped");
        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_sessions_closed_total", [.. chat, ("reason", "slow_consumer")]) == 1, "the slow consumer's close");
        Assert.Equal(1, Scrape.Of(collector).Value("wirekit_chat_drops_total", [.. chat, ("reason", "slow_consumer")]));
    }

    private (string, string)[] Labels(int port, string name)
        => [("server", name), ("engine", _engine), ("port", port.ToString(CultureInfo.InvariantCulture))];

    private (string, string)[] Labels(IServer server, string name)
        => Labels(server.LocalEndPoint.Port, name);
}

public sealed class ThreadsEngineMetricsTests() : EngineMetricsTests(EngineKind.Threads);

public sealed class SelectEngineMetricsTests() : EngineMetricsTests(EngineKind.Select);

public sealed class AsyncEngineMetricsTests() : EngineMetricsTests(EngineKind.Async);
