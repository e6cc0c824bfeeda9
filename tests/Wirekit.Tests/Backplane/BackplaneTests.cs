using System.Text;
using Wirekit.Chat.Backplane;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Backplane;

/// <summary>
/// One room across several chat servers (docs/chat-protocol.md, "Scale-out"), written once and run on every backplane
/// by one-line subclasses: Redis and NATS servers of the test's own, and the in-process hub. Members are real TCP
/// clients; every wait is bounded.
/// </summary>
public abstract class BackplaneTests<TPeer> : IAsyncLifetime
    where TPeer : BackplanePeer, new()
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected TPeer Peer { get; } = new();

    public async Task InitializeAsync()
    {
        if (Peer.WhyNot is null)
        {
            await Peer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await Peer.DisposeAsync();
    }

    [SkippableFact]
    public Task EveryMemberSeesEveryMessageInOneOrder() => ManySendAtOnceAsync(membersPerNode: 3, perMember: 30);

    /// <summary>The issue's scale test: 30 members on 3 nodes, 200 messages each at once, 6,000 in one order for all.</summary>
    [SkippableFact]
    [Trait("Category", "Slow")]
    public Task ThirtyMembersOnThreeNodesSeeAllSixThousandMessagesInOneOrder() => ManySendAtOnceAsync(membersPerNode: 10, perMember: 200);

    [SkippableFact]
    public async Task NamesAreUniqueAcrossNodesAndWhoAndMsgReachEveryNode()
    {
        var nodes = await NodesAsync("a", "b", "c");
        var alice = Own(await ChatTestClient.JoinAsAsync(nodes[0].EndPoint, "alice"));
        var bob = Own(await ChatTestClient.JoinAsAsync(nodes[1].EndPoint, "bob"));
        var carol = Own(await ChatTestClient.JoinAsAsync(nodes[2].EndPoint, "carol"));

        await carol.SendLineAsync("/nick ALICE");
        Assert.Equal("! error: the name ALICE is taken", await carol.ReadLineAsync());

        await WhoUntilAsync(bob, "-!- 3 online: alice (a), bob (b), carol (c)");

        await bob.SendLineAsync("/msg alice psst");
        await alice.SkipUntilAsync("*bob* psst");
        await bob.SkipUntilAsync("-> *alice* psst");
        await bob.SendLineAsync("/msg nobody psst");
        Assert.Equal("! error: nobody here is called nobody", await bob.ReadLineAsync());

        // A name freed on one node can be taken on another.
        await alice.SendLineAsync("/quit");
        await carol.SkipUntilAsync("-!- alice left (quit)");
        await carol.SendLineAsync("/nick alice");
        await bob.SkipUntilAsync("-!- carol is now known as alice");
    }

    [SkippableFact]
    public async Task BackplaneLossKeepsTheLocalRoomAndRestoreReconnects()
    {
        var (_, alice, carol, bob) = await AliceAndCarolOnAAndBobOnBAsync();

        await Peer.StopAsync();
        foreach (var member in new[] { alice, carol, bob })
        {
            await member.SkipUntilAsync(ChatWordingLines.Unavailable);
        }

        await alice.SendLineAsync("only here");
        await carol.SkipUntilAsync("<alice> only here");
        await alice.SkipUntilAsync("<alice> only here");

        await Peer.StartAsync();
        foreach (var member in new[] { alice, carol, bob })
        {
            await member.SkipUntilAsync(ChatWordingLines.Restored);
        }

        // Across nodes again, once both have resubscribed; what alice said meanwhile never reaches bob.
        var seen = await ProbeAsync(alice, bob, "back");
        Assert.DoesNotContain("<alice> only here", seen);
        // Who is on the other node comes back with its roster, an event or two after the first probe.
        await WhoUntilAsync(bob, "-!- 3 online: alice (a), bob (b), carol (a)");
    }

    [SkippableFact]
    public async Task GarbageOnTheChannelIsDroppedAndLogged()
    {
        var (nodes, alice, bob) = await AliceOnAAndBobOnBAsync();

        var valid = new BackplaneEnvelope(BackplaneKind.Say, 1, 1, 1, "x"u8, "mallory"u8, "hi"u8);
        var envelope = new byte[valid.Length];
        valid.Write(envelope);
        var wrongVersion = (byte[])envelope.Clone();
        wrongVersion[2] = 9;
        byte[][] garbage =
        [
            "<mallory> hello"u8.ToArray(),
            new byte[BackplaneEnvelope.MaxBytes + 1000],
            envelope[..^1],
            wrongVersion,
        ];
        foreach (var message in garbage)
        {
            await Peer.PublishRawAsync(message);
        }

        await alice.SendLineAsync("after the garbage");
        Assert.Equal("<alice> after the garbage", await bob.ReadLineAsync());
        Assert.Equal("<alice> after the garbage", await alice.ReadLineAsync());
        foreach (var node in nodes)
        {
            await Deadline.UntilAsync(() => node.Logs.Lines.Count(line => line.Message.StartsWith("backplane: dropped a", StringComparison.Ordinal)) == garbage.Length, "a log line per bad message");
        }
    }

    [SkippableFact]
    public async Task AKilledNodesMembersLeaveAsLostAndTheirNamesAreFreed()
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        Skip.IfNot(Peer.IsReal, "a CLI node needs a real backplane server");
        var heartbeat = TimeSpan.FromSeconds(1);
        var nodes = await NodesAsync(heartbeat, "b");
        var (cli, alice, _) = await AliceHereAndBobOnACliNodeAsync(nodes[0], "a", "--heartbeat", "1");

        cli.SendSignal(9);
        await alice.SkipUntilAsync("-!- bob left (node a lost)");
        var newBob = Own(await ChatTestClient.JoinAsAsync(nodes[0].EndPoint, "bob"));
        await alice.SkipUntilAsync("-!- bob joined");
        await WhoUntilAsync(newBob, "-!- 2 online: alice (b), bob (b)");
    }

    [SkippableFact]
    public async Task DefaultNamesThatClashAcrossNodesAreSettledAlikeEverywhere()
    {
        var nodes = await NodesAsync("a", "b");
        // Both nodes' first sessions are user1: the later claim in the channel's order gets another default name.
        var (first, firstName) = await ChatTestClient.JoinAsync(nodes[0].EndPoint);
        var (second, secondName) = await ChatTestClient.JoinAsync(nodes[1].EndPoint);
        Own(first);
        Own(second);
        Assert.NotEqual(firstName, secondName);
        var who = $"-!- 2 online: {string.Join(", ", new[] { (firstName, "a"), (secondName, "b") }.OrderBy(m => m.Item1, StringComparer.OrdinalIgnoreCase).Select(m => $"{m.Item1} ({m.Item2})"))}";
        foreach (var member in new[] { first, second })
        {
            await WhoUntilAsync(member, who);
        }
    }

    [SkippableFact]
    public async Task AFirstNickStillOnItsWayNamesTheJoinWhateverTheGrace()
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        // A grace shorter than any round trip through the backplane: it passes between the claim and the /nick
        // coming back, and must not announce the newcomer under its default name first.
        var node = Own(await BackplaneTestNode.StartAsync(Peer, "a", joinGrace: TimeSpan.FromMilliseconds(1)));
        Peer.Pause();
        var alice = Own(await ChatTestClient.ConnectAsync(node.EndPoint));
        await alice.SendLineAsync("/nick alice");
        // The claim and the rename both published, neither back: the /nick is on its way when the claim returns.
        await Deadline.UntilAsync(() => node.Chat.Backplane!.InFlight >= 2, "the claim and the /nick to be published");
        Peer.Resume();
        Assert.StartsWith("-!- welcome, you are ", await alice.ReadLineAsync());
        Assert.Equal("-!- alice joined", await alice.ReadLineAsync());
    }

    [SkippableFact]
    public async Task AFullPublishQueueDeliversHereOnlyAndTellsTheSender()
    {
        var (_, alice, bob) = await AliceOnAAndBobOnBAsync(publishQueueLimitOfA: 5);

        Peer.Pause();
        for (var i = 0; i < 6; i++)
        {
            await alice.SendLineAsync($"m{i}");
        }

        // Five wait for the backplane; the sixth finds the queue full, reaches this server's members only, and says so.
        Assert.Equal("<alice> m5", await alice.ReadLineAsync());
        Assert.Equal("! message not delivered to other servers", await alice.ReadLineAsync());
        Peer.Resume();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"<alice> m{i}", await alice.ReadLineAsync());
            Assert.Equal($"<alice> m{i}", await bob.ReadLineAsync());
        }

        await alice.SendLineAsync("after");
        Assert.Equal("<alice> after", await bob.ReadLineAsync());
    }

    [SkippableFact]
    public async Task TheNewerOfTwoNodesWithOneNameSaysSoLoudly()
    {
        var heartbeat = TimeSpan.FromSeconds(1);
        var older = (await NodesAsync(heartbeat, "a"))[0];
        var newer = (await NodesAsync(heartbeat, "a"))[0];
        const string taken = "backplane: node name a is already used in room lobby by another server";
        await Deadline.UntilAsync(() => newer.Logs.Lines.Any(line => line.Message.StartsWith(taken, StringComparison.Ordinal)), "the newer node to log that its name is taken");
        await Deadline.UntilAsync(() => older.Logs.Lines.Any(line => line.Message.StartsWith("backplane: a newer server also calls itself node a", StringComparison.Ordinal)), "the older node to note the newer one");
        Assert.DoesNotContain(older.Logs.Lines, line => line.Message.StartsWith(taken, StringComparison.Ordinal));
        Assert.Single(newer.Logs.Lines, line => line.Message.StartsWith(taken, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ANodeStoppedCleanlyLetsItsMembersGoAtOnce()
    {
        var (nodes, alice, bob) = await AliceOnAAndBobOnBAsync();

        await nodes[1].DisposeAsync();
        await alice.SkipUntilAsync("-!- bob left (server shutting down)");
        var late = (await NodesAsync("c"))[0];
        var carol = Own(await ChatTestClient.JoinAsAsync(late.EndPoint, "carol"));
        // The new node learns the others' members from their rosters, which may come after carol's first /who.
        await WhoUntilAsync(carol, "-!- 2 online: alice (a), carol (c)");
    }

    protected T Own<T>(T owned)
        where T : class
    {
        switch (owned)
        {
            case IAsyncDisposable asyncDisposable:
                _owned.Add(asyncDisposable);
                break;
            case IDisposable disposable:
                _owned.Add(new Disposer(disposable));
                break;
        }

        return owned;
    }

    /// <summary>
    /// Nodes a, b and c with <paramref name="membersPerNode"/> members each, every member sending
    /// <paramref name="perMember"/> messages at once: every member receives all of them, in one order (the same for
    /// all, members of every node alike), each sender's in the order sent.
    /// </summary>
    private async Task ManySendAtOnceAsync(int membersPerNode, int perMember)
    {
        var nodes = await NodesAsync("a", "b", "c");
        var members = new List<(ChatTestClient Client, string Name)>();
        foreach (var (node, index) in nodes.Select((node, index) => (node, index)))
        {
            for (var i = 0; i < membersPerNode; i++)
            {
                var name = $"m{index}{i}";
                members.Add((Own(await ChatTestClient.JoinAsAsync(node.EndPoint, name)), name));
            }
        }

        var total = perMember * members.Count;
        var received = members.Select(member => ReadMessagesAsync(member.Client, total)).ToArray();
        await Task.WhenAll(members.Select(async member =>
        {
            for (var i = 0; i < perMember; i++)
            {
                await member.Client.SendLineAsync($"{member.Name}-{i}");
            }
        }));

        var sequences = await Task.WhenAll(received).WaitAsync(Deadline.Default);
        foreach (var sequence in sequences)
        {
            Assert.Equal(sequences[0], sequence);
        }

        foreach (var (_, name) in members)
        {
            Assert.Equal(Enumerable.Range(0, perMember).Select(i => $"<{name}> {name}-{i}"), sequences[0].Where(line => line.StartsWith($"<{name}> ", StringComparison.Ordinal)));
        }
    }

    /// <summary>A CLI node <paramref name="cliNode"/> (a process of its own, which a test can stop or kill), alice on <paramref name="node"/>, bob on the CLI node; alice has seen bob join.</summary>
    private protected async Task<(CliProcess Cli, ChatTestClient Alice, ChatTestClient Bob)> AliceHereAndBobOnACliNodeAsync(BackplaneTestNode node, string cliNode, params string[] options)
    {
        var cli = Own(CliProcess.Start(["chat", "serve", "-p", "0", "--backplane", Peer.Url, "--node-name", cliNode, .. options]));
        var port = await cli.WaitForListeningPortAsync("chat");
        await Deadline.UntilAsync(() => cli.Output.Contains($"connected as node {cliNode}", StringComparison.Ordinal), "the CLI node to connect");
        var alice = Own(await ChatTestClient.JoinAsAsync(node.EndPoint, "alice"));
        var bob = Own(await ChatTestClient.JoinAsAsync(new(System.Net.IPAddress.Loopback, port), "bob"));
        await alice.SkipUntilAsync("-!- bob joined");
        return (cli, alice, bob);
    }

    /// <summary>Nodes a and b, alice on a and bob on b, each having seen the other join.</summary>
    private async Task<(List<BackplaneTestNode> Nodes, ChatTestClient Alice, ChatTestClient Bob)> AliceOnAAndBobOnBAsync(int publishQueueLimitOfA = 10_000)
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        List<BackplaneTestNode> nodes = [Own(await BackplaneTestNode.StartAsync(Peer, "a", publishQueueLimit: publishQueueLimitOfA)), Own(await BackplaneTestNode.StartAsync(Peer, "b"))];
        var alice = Own(await ChatTestClient.JoinAsAsync(nodes[0].EndPoint, "alice"));
        var bob = Own(await ChatTestClient.JoinAsAsync(nodes[1].EndPoint, "bob"));
        await alice.SkipUntilAsync("-!- bob joined");
        return (nodes, alice, bob);
    }

    /// <summary>Nodes a and b, alice and carol on a, bob on b, alice having seen bob join.</summary>
    private protected async Task<(List<BackplaneTestNode> Nodes, ChatTestClient Alice, ChatTestClient Carol, ChatTestClient Bob)> AliceAndCarolOnAAndBobOnBAsync()
    {
        var nodes = await NodesAsync("a", "b");
        var alice = Own(await ChatTestClient.JoinAsAsync(nodes[0].EndPoint, "alice"));
        var carol = Own(await ChatTestClient.JoinAsAsync(nodes[0].EndPoint, "carol"));
        var bob = Own(await ChatTestClient.JoinAsAsync(nodes[1].EndPoint, "bob"));
        await alice.SkipUntilAsync("-!- bob joined");
        return (nodes, alice, carol, bob);
    }

    private protected Task<List<BackplaneTestNode>> NodesAsync(params string[] names) => NodesAsync(null, names);

    private async Task<List<BackplaneTestNode>> NodesAsync(TimeSpan? heartbeat, params string[] names)
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        var nodes = new List<BackplaneTestNode>();
        foreach (var name in names)
        {
            nodes.Add(Own(await BackplaneTestNode.StartAsync(Peer, name, heartbeat)));
        }

        return nodes;
    }

    /// <summary>Asks /who until the answer is <paramref name="expected"/> (each answer read before the next ask); fails with the last one after the deadline.</summary>
    private protected static async Task WhoUntilAsync(ChatTestClient client, string expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string answer;
        do
        {
            await client.SendLineAsync("/who");
            do
            {
                answer = await client.ReadLineAsync();
            }
            while (!answer.StartsWith("-!- ", StringComparison.Ordinal) || !answer.Contains(" online: ", StringComparison.Ordinal));
        }
        while (answer != expected && clock.Elapsed < Deadline.Default);

        Assert.Equal(expected, answer);
    }

    /// <summary>The messages (lines from members) <paramref name="client"/> receives, until it has <paramref name="count"/>.</summary>
    private static async Task<List<string>> ReadMessagesAsync(ChatTestClient client, int count)
    {
        var messages = new List<string>(count);
        while (messages.Count < count)
        {
            if (await client.ReadLineAsync() is var line && line.StartsWith('<'))
            {
                messages.Add(line);
            }
        }

        return messages;
    }

    /// <summary>
    /// <paramref name="from"/> says numbered probes (one each 100 ms, a pace, not a wait) until <paramref name="to"/>
    /// hears one: the nodes resubscribe each at its own pace after a restore, and a probe said before the other is
    /// back is (rightly) lost. Returns what <paramref name="to"/> received up to the probe it heard.
    /// </summary>
    private protected static async Task<List<string>> ProbeAsync(ChatTestClient from, ChatTestClient to, string word)
    {
        using var heard = new CancellationTokenSource();
        var probes = Task.Run(async () =>
        {
            for (var i = 0; !heard.IsCancellationRequested; i++)
            {
                await from.SendLineAsync($"{word} {i}");
                await Task.Delay(100, heard.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var line = await to.ReadLineAsync();
                seen.Add(line);
                if (line.StartsWith($"<alice> {word} ", StringComparison.Ordinal))
                {
                    return seen;
                }
            }
        }
        finally
        {
            await heard.CancelAsync();
            await probes;
        }
    }

    private sealed class Disposer(IDisposable disposable) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposable.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The lines docs/chat-protocol.md gives for the backplane's comings and goings, as a member sees them.</summary>
internal static class ChatWordingLines
{
    public const string Unavailable = "-!- backplane unavailable: only members on this server receive messages";
    public const string Restored = "-!- backplane restored";
}

public sealed class RedisBackplaneTests : BackplaneTests<RedisPeer>
{
    /// <summary>
    /// Redis cuts off a subscriber that lets more than 256 KB wait for it (client-output-buffer-limit pubsub): a CLI
    /// node stopped with SIGSTOP while 8 MB go by (more than the loopback socket buffers hold). Resumed, it finds
    /// its subscription closed, says so in its log and to its members, reconnects and says that too, and the room
    /// works across nodes again. The limit is far above what node a, which keeps reading, ever lets wait (one batch
    /// of 20 lines, 80 KB): with a 32 KB limit Redis cut node a off too in CI runs, and the test then measured that.
    /// Node b's members may queue 16 MB, twice all alice sends: what Redis wrote before the cut-off sits in the
    /// loopback socket buffers (up to tcp_rmem's 32 MB here), and b, resumed, hands it to bob in one burst before it
    /// reads the end of the connection. With the default 1 MB, b rightly closed bob as a slow consumer whenever the
    /// test's reader was slower than that burst (3 of 4 CI runs, 6 of 9 runs here three at a time): it was bob that
    /// was closed, at his wait for the notice, not alice.
    /// </summary>
    [SkippableFact]
    public async Task ASubscriberRedisCutsOffReconnectsAndSaysSo()
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        await Peer.ConfigSetAsync("client-output-buffer-limit", "pubsub 256kb 128kb 1");
        var nodes = await NodesAsync("a");
        var (cli, alice, bob) = await AliceHereAndBobOnACliNodeAsync(nodes[0], "b", "--rate-limit", "0", "--max-repeats", "0", "--queue-limit", $"{16 << 20}");

        cli.SendSignal(19);
        // 20 lines at a time, each batch's echo read before the next: what waits for node a at Redis, and alice's
        // own queue at node a, stay one batch deep however loaded the machine.
        var line = new string('x', 4000);
        for (var i = 0; i < 2000; i++)
        {
            await alice.SendLineAsync($"{i} {line}");
            if (i % 20 == 19)
            {
                await alice.SkipUntilAsync($"<alice> {i} {line}");
            }
        }

        cli.SendSignal(18);
        await bob.SkipUntilAsync(ChatWordingLines.Unavailable);
        await bob.SkipUntilAsync(ChatWordingLines.Restored);
        await Deadline.UntilAsync(() => cli.Output.Contains("backplane " + Peer.Url + " restored", StringComparison.Ordinal), "the CLI node's log to say it is back");
        Assert.Contains("backplane " + Peer.Url + " lost: ", cli.Output, StringComparison.Ordinal);

        await ProbeAsync(alice, bob, "after");
        await WhoUntilAsync(bob, "-!- 2 online: alice (a), bob (b)");
    }
}

public sealed class NatsBackplaneTests : BackplaneTests<NatsPeer>
{
    /// <summary>
    /// A node that lags: the client holds 20 events for it and drops the rest, which the ordered consumer re-reads
    /// from the stream; but the stream (50 events) has discarded them by then. The node sees the jump in the
    /// stream's sequence, counts a slow consumer, and reads on from "now", telling its members it lost the backplane
    /// and got it back; the room then works across nodes again.
    /// </summary>
    [SkippableFact]
    public async Task ANodeThatLagsPastTheStreamReadsOnFromNowAndSaysSo()
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        // b first: each node sets the stream's bounds when it connects, and a's small ones must be the last word.
        var b = Own(await BackplaneTestNode.StartAsync(Peer, "b"));
        var gated = new GatedTransport(new NatsTransport(BackplaneUrl.Parse(Peer.Url), BackplanePeer.Room, new(MaxMessages: 50, MaxBytes: 1 << 20, MaxAge: TimeSpan.FromMinutes(1), PendingMessages: 20)));
        var a = Own(await BackplaneTestNode.StartAsync(Peer, "a", transport: gated));
        var alice = Own(await ChatTestClient.JoinAsAsync(a.EndPoint, "alice"));
        var bob = Own(await ChatTestClient.JoinAsAsync(b.EndPoint, "bob"));
        await alice.SkipUntilAsync("-!- bob joined");

        gated.Close();
        for (var i = 0; i < 200; i++)
        {
            await bob.SendLineAsync($"b{i}");
        }

        // Back at b, so in the stream, which now holds the last 50 events only.
        await bob.SkipUntilAsync("<bob> b199");
        gated.Open();
        var seen = await alice.SkipUntilAsync(ChatWordingLines.Unavailable);
        await alice.SkipUntilAsync(ChatWordingLines.Restored);
        Assert.DoesNotContain("<bob> b199", seen);
        Assert.Contains(a.Logs.Lines, line => line.Message.Contains("slow consumer", StringComparison.Ordinal));

        await ProbeAsync(alice, bob, "after");
        await WhoUntilAsync(alice, "-!- 2 online: alice (a), bob (b)");
    }

    /// <summary>
    /// nats-server restarted without JetStream, as by an operator who dropped -js: the nodes reconnect to it but cannot
    /// have the room's stream there, so they keep their local rooms and do not call the backplane restored; once the
    /// server has JetStream again they do, and the room works across nodes again.
    /// </summary>
    [SkippableFact]
    public async Task JetStreamGoneAfterTheStartKeepsTheLocalRoomsUntilItIsBack()
    {
        Skip.If(Peer.WhyNot is not null, Peer.WhyNot);
        var (nodes, alice, carol, bob) = await AliceAndCarolOnAAndBobOnBAsync();

        await Peer.StopAsync();
        Peer.WithoutJetStream = true;
        await Peer.StartAsync();
        foreach (var member in new[] { alice, carol, bob })
        {
            await member.SkipUntilAsync(ChatWordingLines.Unavailable);
        }

        // Both nodes' clients are connected to the server without JetStream before anything is said, and each node's
        // log says why that did not restore it.
        await Deadline.UntilAsync(() => Peer.Clients >= 2, "both nodes reconnected to the server without JetStream");
        foreach (var node in nodes)
        {
            await Deadline.UntilAsync(() => node.Logs.Lines.Any(line => line.Message.Contains("answers again but cannot be used: reconnected, but the stream cannot be read", StringComparison.Ordinal)),
                "each node's log to say why the backplane is not restored");
        }

        await alice.SendLineAsync("only here");
        var atCarol = await carol.SkipUntilAsync("<alice> only here");
        Assert.DoesNotContain(ChatWordingLines.Restored, atCarol);

        await Peer.StopAsync();
        Peer.WithoutJetStream = false;
        await Peer.StartAsync();
        await alice.SkipUntilAsync(ChatWordingLines.Restored);
        await carol.SkipUntilAsync(ChatWordingLines.Restored);
        var atBob = await bob.SkipUntilAsync(ChatWordingLines.Restored);
        atBob.AddRange(await ProbeAsync(alice, bob, "back"));
        Assert.DoesNotContain("<alice> only here", atBob); // said while the backplane was away: not replayed
    }
}

public sealed class InProcessBackplaneTests : BackplaneTests<InProcessPeer>
{
    /// <summary>
    /// Redis reports a connection back before its subscription is in place again: both nodes' hellos, and so the
    /// rosters that would answer them, went by unheard, and each node's room lacked the other's members for good
    /// (a CI run saw `-!- 1 online: bob (b)` 30 s after the restore). A node now says hello until it hears its own.
    /// </summary>
    [Fact]
    public async Task RostersLostToALateResubscribeComeWithTheHelloSaidAgain()
    {
        var nodes = await NodesAsync("a", "b");
        var alice = Own(await ChatTestClient.JoinAsAsync(nodes[0].EndPoint, "alice"));
        var bob = Own(await ChatTestClient.JoinAsAsync(nodes[1].EndPoint, "bob"));
        await alice.SkipUntilAsync("-!- bob joined");

        await Peer.StopAsync();
        foreach (var member in new[] { alice, bob })
        {
            await member.SkipUntilAsync(ChatWordingLines.Unavailable);
        }

        Peer.StartWithLateSubscriptions(missed: 2);
        foreach (var member in new[] { alice, bob })
        {
            await member.SkipUntilAsync(ChatWordingLines.Restored);
        }

        await WhoUntilAsync(bob, "-!- 2 online: alice (a), bob (b)");
        await WhoUntilAsync(alice, "-!- 2 online: alice (a), bob (b)");
    }
}
