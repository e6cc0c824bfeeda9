using System.Diagnostics;
using System.Net;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Backplane;

/// <summary>
/// Node loss by a cut cable (docs/chat-protocol.md, "Scale-out", "Heartbeats and node loss"): three hosts on a LAN of
/// network namespaces, redis-server on host 0 and a `wirekit chat serve` process on each of hosts 1 (node a) and 2
/// (node b). Taking host 1's link down sends nothing at all, no FIN, no RST: node b must find node a lost from the
/// missing heartbeats alone, and node a, once its link is back, must rejoin with its members (no ghosts, no names
/// held twice).
/// </summary>
[Trait("Category", "Slow")]
public sealed class HostLinkLossTests : IAsyncLifetime
{
    private const int RedisPort = 6379; // inside host 0's own namespace: nothing else can hold it
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private readonly List<Func<ValueTask>> _owned = [];
    private NetworkNamespaceLan? _lan;

    public async Task InitializeAsync() => _lan = await NetworkNamespaceLan.CreateAsync(hosts: 3);

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned();
        }

        await _lan!.DisposeAsync();
    }

    [SkippableFact]
    public async Task A_node_whose_link_goes_down_is_lost_to_the_other_and_resynchronises_when_it_is_back()
    {
        var redis = ExternalServer.Find("redis-server");
        Skip.If(redis is null, "redis-server is not installed (test.sh installs it)");
        Skip.If(_lan!.Unavailable is not null, _lan.Unavailable);
        var server = Own(ExternalServer.Start("ip", _lan.Command(0, redis, "--port", $"{RedisPort}", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no")[1..]));
        await server.WaitUntilReadyAsync(() => Task.FromResult(server.Log.Contains("Ready to accept connections", StringComparison.Ordinal)), Deadline.Default);
        var a = await StartNodeAsync(host: 1, "a");
        var b = await StartNodeAsync(host: 2, "b");
        var bob = Own(await ChatTestClient.JoinAsAsync(a, "bob"));
        var alice = Own(await ChatTestClient.JoinAsAsync(b, "alice"));
        await bob.SkipUntilAsync("-!- alice joined");

        var cut = Stopwatch.StartNew();
        await _lan.SetLinkAsync(1, up: false);
        await alice.SkipUntilAsync("-!- bob left (node a lost)");
        // Lost after 3 missed heartbeats; the bound leaves room for a loaded machine, not for a missing detector.
        Assert.True(cut.Elapsed < Heartbeat * 3 + Deadline.Default / 2, $"node a was announced lost {cut.Elapsed} after the cut");

        await _lan.SetLinkAsync(1, up: true);
        // Node a hears of its own loss when its link is back, says hello again and brings bob back with its roster.
        await WhoUntilAsync(alice, "-!- 2 online: alice (b), bob (a)");
        // A newcomer on the node that was cut off learns the whole room; nobody is listed twice.
        var carol = Own(await ChatTestClient.JoinAsAsync(a, "carol"));
        await WhoUntilAsync(carol, "-!- 3 online: alice (b), bob (a), carol (a)");
        await WhoUntilAsync(alice, "-!- 3 online: alice (b), bob (a), carol (a)");
        // And bob's name is held again, across the room.
        var dave = Own(await ChatTestClient.JoinAsAsync(b, "dave"));
        await dave.SendLineAsync("/nick bob");
        Assert.Equal("! error: the name bob is taken", await dave.ReadLineAsync());
    }

    /// <summary>A CLI node in its host's namespace, connected to Redis on host 0; returns where this process reaches it.</summary>
    private async Task<IPEndPoint> StartNodeAsync(int host, string name)
    {
        var node = CliProcess.StartCommand(_lan!.Command(host, CliProcess.Command(
            "chat", "serve", "-p", "0", "--bind", "0.0.0.0", "--rate-limit", "0", "--max-repeats", "0",
            "--backplane", $"redis://{_lan.AddressOf(0)}:{RedisPort}", "--node-name", name, "--heartbeat", $"{Heartbeat.TotalSeconds}")));
        Own(node);
        var port = await node.WaitForListeningPortAsync("chat");
        await Deadline.UntilAsync(() => node.Output.Contains($"connected as node {name}", StringComparison.Ordinal), $"node {name} to reach Redis:\n{node.Output}");
        return new IPEndPoint(_lan.AddressOf(host), port);
    }

    /// <summary>Asks /who until the answer is <paramref name="expected"/> (each read before the next ask): rosters come an event or two after a rejoin.</summary>
    private static async Task WhoUntilAsync(ChatTestClient client, string expected)
    {
        var clock = Stopwatch.StartNew();
        string answer;
        do
        {
            await client.SendLineAsync("/who");
            while (!(answer = await client.ReadLineAsync()).Contains(" online: ", StringComparison.Ordinal))
            {
            }
        }
        while (answer != expected && clock.Elapsed < Deadline.Default);

        Assert.Equal(expected, answer);
    }

    private T Own<T>(T owned)
        where T : class
    {
        _owned.Add(owned is IAsyncDisposable asyncDisposable ? asyncDisposable.DisposeAsync : () =>
        {
            ((IDisposable)owned).Dispose();
            return ValueTask.CompletedTask;
        });
        return owned;
    }
}
