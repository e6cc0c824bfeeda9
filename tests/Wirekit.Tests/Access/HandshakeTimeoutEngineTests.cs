using System.Net.Sockets;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Metrics;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Access;

/// <summary>
/// The handshake deadline on every engine (subclasses at the end): a connection that has not sent its first complete
/// unit (echo: a byte; chat: a line; file: a request header) within the timeout is closed, logged once per address
/// and counted; one that has is left alone. "Left alone" needs no clock: deadlines fall due in accept order, so once
/// a connection accepted after it has been closed, the sweep has passed the earlier one's deadline too.
/// </summary>
public abstract class HandshakeTimeoutEngineTests(EngineKind engine)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    protected EngineKind Engine { get; } = engine;

    private ServerOptions Options => new() { HandshakeTimeout = Timeout };

    [Fact]
    public async Task Silent_connections_are_closed_logged_once_per_address_and_counted()
    {
        using var collector = new MetricsCollector();
        var logs = new CapturingLoggerFactory();
        await using var server = ServerHost.Start(Engine, Options, new EchoService(), logs);
        var silent = new List<TestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silent.Add(await SourceAddress.ClientAsync(SourceAddress.Second, server.LocalEndPoint));
            }

            Assert.All(await Task.WhenAll(silent.Select(client => client.ReceiveEndAsync())), Assert.True);
        }
        finally
        {
            silent.ForEach(client => client.Dispose());
        }

        var echo = ServerLabels.Of(server, "echo");
        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_sessions_closed_total", [.. echo, ("reason", "handshake_timeout")]) == 3, "3 handshake-timeout closes");
        Assert.Equal(3, Scrape.Of(collector).Value("wirekit_connections_refused_total", [.. echo, ("reason", "handshake_timeout")]));
        Assert.Equal(
            ["closed 127.0.0.2: no complete handshake or first request within 0.5 s (--handshake-timeout) (0 more such closes of this address not logged before this one)"],
            logs.Lines.Where(line => line.Event.Id == 32).Select(line => line.Message));
    }

    [SkippableFact]
    public async Task An_echo_client_that_sent_a_byte_outlives_the_deadline()
    {
        Skip.If(Engine == EngineKind.Iterative, "the iterative engine serves one client at a time: the silent one would wait behind it");
        await using var server = ServerHost.Start(Engine, Options, new EchoService());
        using var talker = await TestClient.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("x"u8.ToArray(), await talker.EchoAsync("x"u8.ToArray()));
        using var silent = await TestClient.ConnectAsync(server.LocalEndPoint);

        Assert.True(await silent.ReceiveEndAsync());
        Assert.Equal("still here"u8.ToArray(), await talker.EchoAsync("still here"u8.ToArray()));
        // The client may see the reset a moment before the server has removed the session.
        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "only the talker to remain");
    }

    [SkippableFact]
    public async Task Chat_closes_a_silent_member_and_a_half_line_but_not_a_complete_line()
    {
        Skip.If(Engine == EngineKind.Iterative, "chat needs an engine that serves many clients at once");
        await using var server = ChatTestServer.Start(Engine, Options);
        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        using var half = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await half.SendRawAsync("/nick trick"u8.ToArray());
        using var silent = await ChatTestClient.ConnectAsync(server.LocalEndPoint);

        Assert.True(await half.ReadsToEndAsync());
        Assert.True(await silent.ReadsToEndAsync());
        using var bob = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob");
        await alice.SkipUntilAsync("-!- bob joined");
        Assert.Equal(2, server.Members);
    }

    /// <summary>
    /// A silent newcomer is not announced when the join grace passes, only by a first line: otherwise a slowloris crowd
    /// costs the room two broadcasts to everyone per connection (its join, then its leave at the deadline).
    /// </summary>
    [SkippableFact]
    public async Task Chat_does_not_announce_a_silent_newcomer_that_the_deadline_then_closes()
    {
        Skip.If(Engine == EngineKind.Iterative, "chat needs an engine that serves many clients at once");
        await using var server = ChatTestServer.Start(Engine, Options, new Wirekit.Chat.ChatOptions { JoinGrace = TimeSpan.FromMilliseconds(20) });
        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        using (var silent = await ChatTestClient.ConnectAsync(server.LocalEndPoint))
        {
            Assert.True(await silent.ReadsToEndAsync());
        }

        using var bob = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob");
        Assert.Equal("-!- bob joined", await alice.ReadLineAsync());
    }

    [SkippableFact]
    public async Task The_file_server_closes_a_silent_client_and_a_half_header_but_not_a_complete_request()
    {
        Skip.If(!EngineCapabilities.Carries(Engine, FileTransferHandler.EngineRequirements), "the file server needs a flow of control per session");
        var root = Directory.CreateTempSubdirectory("wirekit-handshake-root-").FullName;
        try
        {
            var handler = new FileTransferHandler(new FileServerOptions { Root = root, IdleTimeout = Deadline.Default });
            await using var server = ServerHost.Start(Engine, Options, handler);
            using var lister = await RawFileClient.ConnectAsync(server.LocalEndPoint);
            await lister.SendAsync(RawFileClient.Header(100, 0));
            var (code, size) = await lister.ReceiveHeaderAsync();
            Assert.Equal((200, 4), (code, size));
            await lister.ReceiveExactlyAsync(size);
            using var half = await RawFileClient.ConnectAsync(server.LocalEndPoint);
            await half.SendAsync(RawFileClient.Header(100, 0)[..4]);
            using var silent = await RawFileClient.ConnectAsync(server.LocalEndPoint);

            Assert.True(await half.ServerClosedAsync());
            Assert.True(await silent.ServerClosedAsync());
            await lister.SendAsync(RawFileClient.Header(100, 0));
            Assert.Equal((200, 4), await lister.ReceiveHeaderAsync());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Zero_turns_the_deadline_off()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions { HandshakeTimeout = TimeSpan.Zero }, new EchoService());
        var internals = (Wirekit.Engines.Sessions.ServerBase)server;
        using var silent = await TestClient.ConnectAsync(server.LocalEndPoint);
        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "the silent session to be admitted");
        Assert.Null(internals.HandshakeDeadlines);
    }

}

public sealed class IterativeHandshakeTimeoutEngineTests() : HandshakeTimeoutEngineTests(EngineKind.Iterative);

public sealed class ThreadsHandshakeTimeoutEngineTests() : HandshakeTimeoutEngineTests(EngineKind.Threads);

public sealed class SelectHandshakeTimeoutEngineTests() : HandshakeTimeoutEngineTests(EngineKind.Select);

public sealed class AsyncHandshakeTimeoutEngineTests() : HandshakeTimeoutEngineTests(EngineKind.Async);
