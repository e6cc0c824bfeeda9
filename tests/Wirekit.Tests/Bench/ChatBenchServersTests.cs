using System.Net;
using System.Text.Json;
using Wirekit.Bench.Chat;
using Wirekit.Tests.Backplane;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Bench;

/// <summary>
/// `bench chat --servers`: members and senders spread round-robin over nodes of one room, every message counted at
/// every member whichever node it was sent on. Real chat nodes on a backplane started here; counts, never speed.
/// </summary>
public sealed class ChatBenchServersTests
{
    private static readonly ChatBenchOptions Short = new()
    {
        Clients = 7, Senders = 3, Rate = 300, Duration = TimeSpan.FromMilliseconds(400), DrainTime = Deadline.Default,
    };

    [Fact]
    public async Task Members_and_senders_spread_over_three_nodes_and_every_message_reaches_every_member()
    {
        await using var peer = new InProcessPeer();
        await peer.StartAsync();
        await using var nodes = await Nodes.StartAsync(peer, "a", "b", "c");

        var result = await ChatBench.RunAsync(nodes.EndPoints, Short, _ => _ => { }, CancellationToken.None).WaitAsync(Deadline.Default * 2);

        Assert.True(result.Sent > 0);
        Assert.Equal(0, result.ClientsLost);
        Assert.Equal(result.Sent * 7, result.Delivered);
        // Member i is on node i mod 3: 3, 2 and 2 members, and one of the three senders on each node.
        Assert.Equal(nodes.EndPoints, result.Nodes.Select(node => node.Server));
        Assert.Equal([3, 2, 2], result.Nodes.Select(node => node.Members));
        Assert.All(result.Nodes, node => Assert.True(node.Sent > 0, $"nobody sent on {node.Server}"));
        Assert.Equal(result.Sent, result.Nodes.Sum(node => node.Sent));
        Assert.All(result.Nodes, node => Assert.Equal(node.Expected(result.Sent), node.Delivered));
    }

    /// <summary>
    /// `chat serve` announces a newcomer only after its first line (its handshake deadline, on by default, closes the
    /// silent): bench members that waited silently for every join never saw one, and were closed after 10 s.
    /// </summary>
    [Fact]
    public async Task Members_say_a_first_line_so_a_chat_serve_process_announces_them()
    {
        using var server = CliProcess.Start("chat", "serve", "-p", "0", "--rate-limit", "0", "--max-repeats", "0");
        var port = await server.WaitForListeningPortAsync("chat");
        var options = Short with { Clients = 4, Senders = 2, JoinSettleLimit = Deadline.Default };

        var result = await ChatBench.RunAsync(new IPEndPoint(IPAddress.Loopback, port), options, _ => _ => { }, CancellationToken.None).WaitAsync(Deadline.Default * 3);

        Assert.True(result.JoinSettleTime < Deadline.Default, $"joins settled in {result.JoinSettleTime}");
        Assert.Equal(0, result.ClientsLost);
        Assert.True(result.Sent > 0);
        Assert.Equal(result.Sent * 4, result.Delivered);
    }

    [SkippableFact]
    public async Task The_cli_on_two_redis_nodes_reports_each_nodes_counts_in_camel_case_json()
    {
        await using var peer = new RedisPeer();
        Skip.If(peer.WhyNot is not null, peer.WhyNot);
        await peer.StartAsync();
        await using var nodes = await Nodes.StartAsync(peer, "a", "b");

        var (exit, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default * 2, CliProcess.Command(
            "bench", "chat", "--servers", string.Join(',', nodes.EndPoints), "-c", "5", "--senders", "2", "-r", "200", "-t", "0.4", "--json"));

        Assert.True(exit == 0, errors);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        var sent = root.GetProperty("sent").GetInt64();
        Assert.True(sent > 0);
        Assert.Equal(sent * 5, root.GetProperty("delivered").GetInt64());
        Assert.Equal(0, root.GetProperty("clientsLost").GetInt32());
        var perNode = root.GetProperty("nodes").EnumerateArray().ToArray();
        Assert.Equal(nodes.EndPoints.Select(e => e.ToString()), perNode.Select(n => n.GetProperty("server").GetString()));
        Assert.Equal([3, 2], perNode.Select(n => n.GetProperty("members").GetInt32()));
        Assert.Equal(sent, perNode.Sum(n => n.GetProperty("sent").GetInt64()));
        Assert.All(perNode, n =>
        {
            Assert.Equal(sent * n.GetProperty("members").GetInt32(), n.GetProperty("expected").GetInt64());
            Assert.Equal(n.GetProperty("expected").GetInt64(), n.GetProperty("delivered").GetInt64());
            Assert.Equal(0, n.GetProperty("clientsLost").GetInt32());
        });
    }

    /// <summary>
    /// `bench chat --servers A,B --tls` (it used to refuse several servers under TLS): every member handshakes with
    /// its own node, verified against the nodes' certificate (--ca), and every message reaches every member.
    /// </summary>
    [SkippableFact]
    public async Task The_cli_over_two_tls_nodes_on_redis_delivers_every_message()
    {
        await using var peer = new RedisPeer();
        Skip.If(peer.WhyNot is not null, peer.WhyNot);
        await peer.StartAsync();
        using var pki = new Wirekit.Tests.Tls.TestPki();
        await using var nodes = await Nodes.StartAsync(peer, pki.Server(), "a", "b");

        var (exit, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default * 2, CliProcess.Command(
            "bench", "chat", "--servers", string.Join(',', nodes.EndPoints), "--tls", "--ca", pki.ServerCertificatePath,
            "-c", "5", "--senders", "2", "-r", "200", "-t", "0.4", "--json"));

        Assert.True(exit == 0, errors);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.True(root.GetProperty("tls").GetBoolean());
        var sent = root.GetProperty("sent").GetInt64();
        Assert.True(sent > 0);
        Assert.Equal(sent * 5, root.GetProperty("delivered").GetInt64());
        Assert.Equal(0, root.GetProperty("clientsLost").GetInt32());
        Assert.All(root.GetProperty("nodes").EnumerateArray(), n => Assert.Equal(n.GetProperty("expected").GetInt64(), n.GetProperty("delivered").GetInt64()));
    }

    [Theory]
    [InlineData("error: --servers replaces the server argument: give the servers one way or the other", "127.0.0.1:25001", "--servers", "127.0.0.1:25011")]
    [InlineData("error: --servers needs at least one HOST:PORT", "--servers", ",")]
    public async Task Servers_given_two_ways_or_none_is_a_usage_error_in_one_line(string line, params string[] arguments)
    {
        using var cli = CliProcess.Start(["bench", "chat", .. arguments]);

        Assert.Equal(2, await cli.WaitForExitAsync(Deadline.Default));
        Assert.Equal(line, cli.Output);
    }

    /// <summary>Chat nodes in this process on one backplane, each connected before the bench starts.</summary>
    private sealed class Nodes : IAsyncDisposable
    {
        private readonly List<BackplaneTestNode> _nodes;

        private Nodes(List<BackplaneTestNode> nodes) => _nodes = nodes;

        public IReadOnlyList<IPEndPoint> EndPoints => _nodes.Select(node => new IPEndPoint(IPAddress.Loopback, node.EndPoint.Port)).ToArray();

        public static Task<Nodes> StartAsync(BackplanePeer peer, params string[] names) => StartAsync(peer, tls: null, names);

        public static async Task<Nodes> StartAsync(BackplanePeer peer, Wirekit.Tls.TlsServerOptions? tls, params string[] names)
        {
            var nodes = new Nodes([]);
            try
            {
                foreach (var name in names)
                {
                    nodes._nodes.Add(await BackplaneTestNode.StartAsync(peer, name, tls: tls));
                }

                return nodes;
            }
            catch
            {
                await nodes.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
