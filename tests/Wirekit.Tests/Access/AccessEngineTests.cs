using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Access;
using Wirekit.Chat;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Metrics;
using Wirekit.Transfer;

namespace Wirekit.Tests.Access;

/// <summary>
/// Access rules and the per-address share at admission, on every engine (the one-line subclasses at the end), with
/// real sockets from different loopback addresses: a refused peer is closed at once, after a notice saying why where
/// the service has one, logged once per address, counted by reason; everyone else goes on being served.
/// </summary>
public abstract class AccessEngineTests(EngineKind engine)
{
    private const string DeniedLine = "-!- your address is not allowed on this server\n";

    protected EngineKind Engine { get; } = engine;

    private bool Concurrent => EngineCapabilities.Carries(Engine, EngineFeatures.ConcurrentSessions);

    [Fact]
    public async Task A_denied_address_is_closed_at_once_and_another_is_served()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero, Access = AccessPolicy.Parse([], ["127.0.0.2"]) }, new EchoService());

        using var denied = await SourceAddress.ConnectAsync(SourceAddress.Second, server.LocalEndPoint);
        Assert.Empty(await SourceAddress.ReadToEndAsync(denied));

        using var other = await SourceAddress.ClientAsync(SourceAddress.Third, server.LocalEndPoint);
        Assert.Equal("served"u8.ToArray(), await other.EchoAsync("served"u8.ToArray()));
    }

    [Fact]
    public async Task Once_an_allow_is_given_only_its_block_is_admitted()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero, Access = AccessPolicy.Parse(["127.0.0.3/32"], []) }, new EchoService());

        using var outside = await SourceAddress.ConnectAsync(SourceAddress.Second, server.LocalEndPoint);
        Assert.Empty(await SourceAddress.ReadToEndAsync(outside));

        using var inside = await SourceAddress.ClientAsync(SourceAddress.Third, server.LocalEndPoint);
        Assert.Equal("in"u8.ToArray(), await inside.EchoAsync("in"u8.ToArray()));
    }

    [Fact]
    public async Task An_IPv6_peer_is_matched_by_IPv6_rules()
    {
        var options = new ServerOptions { HandshakeTimeout = TimeSpan.Zero, BindAddress = IPAddress.IPv6Loopback, Access = AccessPolicy.Parse([], ["::1/128"]) };
        await using (var server = ServerHost.Start(Engine, options, new EchoService()))
        {
            using var denied = await SourceAddress.ConnectAsync(IPAddress.IPv6Loopback, server.LocalEndPoint);
            Assert.Empty(await SourceAddress.ReadToEndAsync(denied));
        }

        await using var allowing = ServerHost.Start(Engine, options with { Access = AccessPolicy.Parse(["::1"], []) }, new EchoService());
        using var allowed = await SourceAddress.ClientAsync(IPAddress.IPv6Loopback, allowing.LocalEndPoint);
        Assert.Equal("six"u8.ToArray(), await allowed.EchoAsync("six"u8.ToArray()));
    }

    [Fact]
    public async Task An_IPv4_client_of_a_dual_stack_listener_is_matched_by_its_IPv4_rule()
    {
        // Listening on :: the kernel hands IPv4 clients over as ::ffff:a.b.c.d.
        var options = new ServerOptions { HandshakeTimeout = TimeSpan.Zero, BindAddress = IPAddress.IPv6Any, Access = AccessPolicy.Parse([], ["127.0.0.2"]) };
        await using var server = ServerHost.Start(Engine, options, new EchoService());
        var v4 = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port);

        using var denied = await SourceAddress.ConnectAsync(SourceAddress.Second, v4);
        Assert.Empty(await SourceAddress.ReadToEndAsync(denied));

        using var other = await SourceAddress.ClientAsync(SourceAddress.Third, v4);
        Assert.Equal("mapped"u8.ToArray(), await other.EchoAsync("mapped"u8.ToArray()));
    }

    [Fact]
    public async Task Refusals_are_logged_once_per_address_and_each_is_counted()
    {
        using var collector = new MetricsCollector();
        var logs = new CapturingLoggerFactory();
        var options = new ServerOptions { HandshakeTimeout = TimeSpan.Zero, Access = AccessPolicy.Parse([], ["127.0.0.2", "127.0.0.3"]) };
        await using var server = ServerHost.Start(Engine, options, new EchoService(), logs);
        foreach (var (source, times) in new[] { (SourceAddress.Second, 5), (SourceAddress.Third, 3) })
        {
            for (var i = 0; i < times; i++)
            {
                using var denied = await SourceAddress.ConnectAsync(source, server.LocalEndPoint);
                Assert.Empty(await SourceAddress.ReadToEndAsync(denied));
            }
        }

        var lines = logs.Lines.Where(line => line.Event.Id == 30).Select(line => line.Message).ToArray();
        Assert.Equal(
            [
                "refused 127.0.0.2: its address is not allowed here (--allow/--deny) (0 more refusals of this address not logged before this one)",
                "refused 127.0.0.3: its address is not allowed here (--allow/--deny) (0 more refusals of this address not logged before this one)",
            ],
            lines);
        Assert.Equal(8, Scrape.Of(collector).Value("wirekit_connections_refused_total", [.. ServerLabels.Of(server, "echo"), ("reason", "deny")]));
        Assert.Equal(0, Scrape.Of(collector).Value("wirekit_connections_accepted_total", ServerLabels.Of(server, "echo")));
    }

    [SkippableFact]
    public async Task Chat_tells_a_denied_peer_why_and_serves_the_room()
    {
        Skip.If(!Concurrent, "chat needs an engine that serves many clients at once");
        await using var server = ChatTestServer.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero, Access = AccessPolicy.Parse([], ["127.0.0.2"]) });

        using var denied = await SourceAddress.ConnectAsync(SourceAddress.Second, server.LocalEndPoint);
        Assert.Equal(DeniedLine, Encoding.UTF8.GetString(await SourceAddress.ReadToEndAsync(denied)));

        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        using var bob = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob");
        await bob.SendLineAsync("hello alice");
        await alice.SkipUntilAsync("<bob> hello alice");
    }

    [SkippableFact]
    public async Task Chat_tells_a_full_server_and_a_full_share_apart()
    {
        Skip.If(!Concurrent, "chat needs an engine that serves many clients at once");
        await using var server = ChatTestServer.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero, MaxConnections = 2, MaxConnectionsPerAddress = 1 });
        using var first = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "first");

        using var second = await SourceAddress.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint);
        Assert.Equal("-!- too many connections from your address; close one and try again\n", Encoding.UTF8.GetString(await SourceAddress.ReadToEndAsync(second)));

        using var other = ChatTestClient.Wrap(await SourceAddress.ConnectAsync(SourceAddress.Second, server.LocalEndPoint));
        await other.SendLineAsync("/nick other");
        await other.SkipUntilAsync("-!- other joined");

        using var full = await SourceAddress.ConnectAsync(SourceAddress.Third, server.LocalEndPoint);
        Assert.Equal("-!- server full; try again later\n", Encoding.UTF8.GetString(await SourceAddress.ReadToEndAsync(full)));
    }

    [SkippableFact]
    public async Task One_address_past_its_share_is_refused_while_the_others_are_served_and_a_close_gives_the_slot_back()
    {
        Skip.If(!Concurrent, "the iterative engine serves one client at a time: an address cannot hold two");
        using var collector = new MetricsCollector();
        var logs = new CapturingLoggerFactory();
        await using var server = ServerHost.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero, MaxConnectionsPerAddress = 2 }, new EchoService(), logs);
        var hog = new List<TestClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                hog.Add(await SourceAddress.ClientAsync(SourceAddress.Second, server.LocalEndPoint));
                Assert.Equal(new[] { (byte)i }, await hog[i].EchoAsync([(byte)i]));
            }

            for (var i = 0; i < 3; i++)
            {
                using var extra = await SourceAddress.ConnectAsync(SourceAddress.Second, server.LocalEndPoint);
                Assert.Empty(await SourceAddress.ReadToEndAsync(extra));
            }

            using var neighbour = await SourceAddress.ClientAsync(SourceAddress.Third, server.LocalEndPoint);
            Assert.Equal("still served"u8.ToArray(), await neighbour.EchoAsync("still served"u8.ToArray()));

            hog[0].Dispose();
            // Counted as closed once the session has left the registry and given its address's slot back.
            await Deadline.UntilAsync(
                () => Scrape.Of(collector).Value("wirekit_sessions_closed_total", [.. ServerLabels.Of(server, "echo"), ("reason", "peer_closed")]) == 1,
                "the closed session to give its slot back");
            using var again = await SourceAddress.ClientAsync(SourceAddress.Second, server.LocalEndPoint);
            Assert.Equal("again"u8.ToArray(), await again.EchoAsync("again"u8.ToArray()));
        }
        finally
        {
            hog.ForEach(client => client.Dispose());
        }

        Assert.Equal(3, Scrape.Of(collector).Value("wirekit_connections_refused_total", [.. ServerLabels.Of(server, "echo"), ("reason", "per_address")]));
        Assert.Equal(
            ["refused 127.0.0.2: it already holds 2 connections, its share (--max-per-ip) (0 more refusals of this address not logged before this one)"],
            logs.Lines.Where(line => line.Event.Id == 31).Select(line => line.Message));
    }

    [SkippableFact]
    public async Task The_file_server_closes_a_denied_peer_and_serves_another()
    {
        Skip.If(!EngineCapabilities.Carries(Engine, FileTransferHandler.EngineRequirements), "the file server needs a flow of control per session");
        var root = Directory.CreateTempSubdirectory("wirekit-access-root-").FullName;
        try
        {
            File.WriteAllText(Path.Join(root, "a.txt"), "hello");
            var handler = new FileTransferHandler(new FileServerOptions { Root = root });
            await using var server = ServerHost.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero, Access = AccessPolicy.Parse([], ["127.0.0.2"]) }, handler);

            using var denied = await SourceAddress.ConnectAsync(SourceAddress.Second, server.LocalEndPoint);
            Assert.Empty(await SourceAddress.ReadToEndAsync(denied));

            var list = await new FileTransferClient(new FileClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, Timeout = Deadline.Default })
                .ListAsync().WaitAsync(Deadline.Default);
            Assert.Equal("a.txt", Assert.Single(list).Name);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

}

public sealed class IterativeAccessEngineTests() : AccessEngineTests(EngineKind.Iterative);

public sealed class ThreadsAccessEngineTests() : AccessEngineTests(EngineKind.Threads);

public sealed class SelectAccessEngineTests() : AccessEngineTests(EngineKind.Select);

public sealed class AsyncAccessEngineTests() : AccessEngineTests(EngineKind.Async);
