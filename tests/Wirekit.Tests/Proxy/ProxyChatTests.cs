using System.Collections.Concurrent;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Proxy;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Proxy;

/// <summary>
/// A chat member behind the proxy, the rest of the room connected directly: a member whose window the proxy lets
/// fill is dropped as a slow consumer, and a member whose link the proxy turns into a black hole is evicted by the
/// room's idle timeout. Either way the room goes on.
/// </summary>
public sealed class ProxyChatTests
{
    [Fact]
    public async Task A_member_behind_stall_reads_is_dropped_as_a_slow_consumer_and_the_room_goes_on()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async,
            new ServerOptions { MaxQueuedBytes = 64 * 1024, SendBufferSize = 32 * 1024 },
            new ChatOptions { RateLimit = 0, MaxRepeats = 0, EchoSender = false });
        await using var proxy = ProxyScope.Start(server.LocalEndPoint);
        using var stalled = await ChatTestClient.JoinAsAsync(proxy.EndPoint, "stalled");
        using var watcher = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "watcher");
        using var sender = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "sender");
        proxy.Execute("add down stall-reads");

        // One message at a time, each read by the watcher before the next, so only the stalled member falls behind.
        var padding = new string('x', 3000);
        var droppedAfter = -1;
        for (var i = 0; i < 10_000 && droppedAfter < 0; i++)
        {
            await sender.SendLineAsync($"m{i} {padding}");
            while (await watcher.ReadLineAsync() is var line && !line.StartsWith($"<sender> m{i} ", StringComparison.Ordinal))
            {
                if (line == "-!- stalled left (slow consumer)")
                {
                    droppedAfter = i;
                }
            }
        }

        Assert.True(droppedAfter > 0, "the stalled member was never dropped");
        await sender.SendLineAsync("the room goes on");
        await watcher.SkipUntilAsync("<sender> the room goes on");
        Assert.Equal(2, server.Members);
        // Nothing ends the stalled connection while its reads are stalled: not even the server's close gets through.
        stalled.Socket.Close();
        proxy.Execute("remove stall-reads");
        var report = await proxy.SingleReportAsync();
        Assert.Contains("down stall-reads", report.Faults);
    }

    [Fact]
    public async Task A_member_behind_a_blackhole_is_evicted_by_the_idle_timeout_while_both_sockets_stay_open()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions(),
            new ChatOptions { RateLimit = 0, MaxRepeats = 0, IdleTimeout = TimeSpan.FromSeconds(1) });
        await using var proxy = ProxyScope.Start(server.LocalEndPoint);
        using var doomed = await ChatTestClient.JoinAsAsync(proxy.EndPoint, "doomed");
        using var watcher = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "watcher");
        // A byte threshold already passed: the very next chunk each way is dropped.
        proxy.Execute("add blackhole-after 0");
        await doomed.SendLineAsync("can anyone hear me"); // read by the proxy and dropped

        var seen = new ConcurrentQueue<string>();
        var evicted = Task.Run(async () =>
        {
            while (await watcher.ReadLineAsync() is var line && line != "-!- doomed left (timeout)")
            {
                seen.Enqueue(line);
            }
        });
        // The watcher keeps talking so the idle timeout is the doomed member's alone; its own lines come back to it.
        while (!evicted.IsCompleted)
        {
            await watcher.SendLineAsync("still here");
            await Task.WhenAny(evicted, Task.Delay(200)).WaitAsync(Deadline.Default);
        }

        await evicted;
        Assert.DoesNotContain(seen, line => line.Contains("can anyone hear me", StringComparison.Ordinal));
        Assert.Equal(1, server.Members);
        // The server closed its side; the blackhole swallowed that FIN too: the doomed client still holds an open socket.
        Assert.Equal((1, 0), (proxy.Proxy.ActiveConnections, proxy.Reports.Count));

        doomed.Socket.Close();
        var report = await proxy.SingleReportAsync();
        Assert.True(report.DroppedUp > 0);
        Assert.Contains("up blackhole-after", report.Faults);
        Assert.Contains("down blackhole-after", report.Faults);
    }
}
