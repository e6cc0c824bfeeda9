using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Engines.Sessions;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Echo;

/// <summary>The echo service's behaviour, written once and run on every engine by the one-line subclasses below.</summary>
public abstract class EchoEngineTests(EngineKind engine)
{
    protected EngineKind Engine { get; } = engine;

    /// <summary>Concurrent clients this engine must serve at once.</summary>
    protected virtual int ConcurrentClients => 200;

    [Fact]
    public async Task Echoes_a_1_MiB_random_payload_byte_for_byte()
    {
        await using var server = Start();
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint);
        var payload = RandomNumberGenerator.GetBytes(1 << 20);

        var echoed = await client.EchoAsync(payload);

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
    }

    [Fact]
    public async Task A_client_that_sends_without_reading_is_paused_not_dropped_and_gets_every_byte()
    {
        var capture = new CapturingService();
        var options = new ServerOptions { SendBufferSize = 32 * 1024, ReceiveBufferSize = 32 * 1024 };
        await using var server = ServerHost.Start(Engine, options, capture);
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint);
        client.Socket.ReceiveBufferSize = 32 * 1024;
        var session = await capture.Connected.Task.WaitAsync(Deadline.Default);
        var payload = RandomNumberGenerator.GetBytes(8 << 20);

        var sending = client.SendAsync(payload);
        // The server owes this client bytes it cannot deliver: it must stop reading (blocking engines block in send,
        // the others pause at the threshold), hold no more than the threshold plus one receive, and drop nothing.
        await Deadline.UntilAsync(() => session.QueuedBytes > 0 && !sending.IsCompleted, "the echo to back up");
        Assert.InRange(session.QueuedBytes, 1, options.ReceivePauseThreshold + (64 * 1024));

        var echoed = await client.ReceiveExactlyAsync(payload.Length);
        await sending;
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
        Assert.Equal(1, server.ActiveSessions);
    }

    [Fact]
    public async Task Echoes_a_stream_sent_one_byte_per_send()
    {
        await using var server = Start();
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint);
        var payload = RandomNumberGenerator.GetBytes(2000);

        var receive = client.ReceiveExactlyAsync(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            await client.SendAsync(payload.AsMemory(i, 1));
        }

        Assert.Equal(payload, await receive);
    }

    [SkippableFact]
    public async Task Serves_many_clients_at_once()
    {
        Skip.If(Engine == EngineKind.Iterative, "the iterative engine serves one client at a time by design; its queueing has a test of its own");

        await using var server = Start(new ServerOptions { Backlog = 4096 });
        var clients = new TestClient[ConcurrentClients];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = await TestClient.ConnectAsync(server.LocalEndPoint);
        }

        try
        {
            // All connected before any echoes: the server really holds them all at once.
            await Deadline.UntilAsync(() => server.ActiveSessions == clients.Length, $"{clients.Length} sessions");
            var echoes = clients.Select(async (client, index) =>
            {
                var payload = BitConverter.GetBytes(index).Concat(RandomNumberGenerator.GetBytes(60)).ToArray();
                return (payload, echoed: await client.EchoAsync(payload));
            });

            foreach (var (payload, echoed) in await Task.WhenAll(echoes))
            {
                Assert.Equal(payload, echoed);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [SkippableFact]
    public async Task An_idle_client_does_not_delay_another()
    {
        Skip.If(Engine == EngineKind.Iterative, "on the iterative engine an idle client does delay the next: that is the point of it (see its own test)");

        await using var server = Start();
        using var idle = await TestClient.ConnectAsync(server.LocalEndPoint);
        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "the idle session");
        using var active = await TestClient.ConnectAsync(server.LocalEndPoint);

        Assert.Equal("hello"u8.ToArray(), await active.EchoAsync("hello"u8.ToArray()));
    }

    [Fact]
    public async Task A_client_that_resets_mid_stream_leaves_the_server_healthy()
    {
        await using var server = Start();
        using (var crashing = await TestClient.ConnectAsync(server.LocalEndPoint))
        {
            await crashing.SendAsync(RandomNumberGenerator.GetBytes(256 * 1024));
            crashing.Reset();
        }

        await Deadline.UntilAsync(() => server.ActiveSessions == 0, "the reset session to end");
        using var next = await TestClient.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("still here"u8.ToArray(), await next.EchoAsync("still here"u8.ToArray()));
    }

    [Fact]
    public async Task Applies_every_socket_option_to_the_accepted_socket()
    {
        var capture = new CapturingService();
        var options = new ServerOptions
        {
            NoDelay = true,
            ReuseAddress = true,
            SendBufferSize = 96 * 1024,
            ReceiveBufferSize = 80 * 1024,
            KeepAlive = new KeepAliveOptions(11, 3, 4),
        };
        await using var server = ServerHost.Start(Engine, options, capture);
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint);
        var session = (Session)await capture.Connected.Task.WaitAsync(Deadline.Default);
        var socket = session.Socket;

        Assert.True(socket.NoDelay);
        // Linux doubles SO_SNDBUF/SO_RCVBUF for its bookkeeping; Windows reports them as set.
        Assert.Contains(socket.SendBufferSize, new[] { 96 * 1024, 2 * 96 * 1024 });
        Assert.Contains(socket.ReceiveBufferSize, new[] { 80 * 1024, 2 * 80 * 1024 });
        Assert.Equal(1, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(11, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(3, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(4, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
        var listener = ((ServerBase)server).Listener;
        Assert.Equal(1, (int)listener.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress)!);
    }

    [Fact]
    public async Task Restarts_on_the_same_port_right_after_100_sessions_and_leaves_no_TIME_WAIT_of_its_own()
    {
        var server = Start();
        var endPoint = server.LocalEndPoint;
        for (var i = 0; i < 100; i++)
        {
            using var client = await TestClient.ConnectAsync(endPoint);
            Assert.Equal(new[] { (byte)i }, await client.EchoAsync([(byte)i]));
            // The client closes first, as the seed's protocol says: TIME_WAIT lands on the client's side.
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await client.ReceiveEndAsync());
        }

        await Deadline.UntilAsync(() => server.ActiveSessions == 0, "all 100 sessions to end");
        await server.StopAsync().WaitAsync(Deadline.Default);

        Assert.Empty(TcpTable.TimeWaitWithLocalPort(endPoint.Port));
        // No SO_REUSEADDR: the bind succeeds because the server never held TIME_WAIT.
        await using var restarted = ServerHost.Start(Engine, new ServerOptions { Port = endPoint.Port }, new EchoService());
        using var after = await TestClient.ConnectAsync(restarted.LocalEndPoint);
        Assert.Equal("again"u8.ToArray(), await after.EchoAsync("again"u8.ToArray()));
    }

    [Fact]
    public async Task Stops_gracefully_with_clients_attached()
    {
        var server = Start();
        var clients = new List<TestClient>();
        var count = Engine == EngineKind.Iterative ? 1 : 10;
        for (var i = 0; i < count; i++)
        {
            var client = await TestClient.ConnectAsync(server.LocalEndPoint);
            await client.EchoAsync([1, 2, 3]);
            clients.Add(client);
        }

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, server.ActiveSessions);
        foreach (var client in clients)
        {
            Assert.True(await client.ReceiveEndAsync());
            client.Dispose();
        }

        using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.ThrowsAny<SocketException>(() => refused.Connect(server.LocalEndPoint));
    }

    [SkippableFact]
    public async Task Refuses_connections_beyond_the_limit_and_serves_the_rest()
    {
        Skip.If(Engine == EngineKind.Iterative, "the iterative engine serves one session at a time, so a connection limit never applies");

        await using var server = Start(new ServerOptions { MaxConnections = 2 });
        using var first = await TestClient.ConnectAsync(server.LocalEndPoint);
        using var second = await TestClient.ConnectAsync(server.LocalEndPoint);
        await Deadline.UntilAsync(() => server.ActiveSessions == 2, "two sessions");
        using var third = await TestClient.ConnectAsync(server.LocalEndPoint);

        Assert.True(await third.ReceiveEndAsync());
        Assert.Equal("ok"u8.ToArray(), await second.EchoAsync("ok"u8.ToArray()));
    }

    [SkippableFact]
    public async Task Bound_to_the_ipv6_wildcard_it_serves_ipv4_and_ipv6_clients_alike()
    {
        Skip.IfNot(Socket.OSSupportsIPv6, "this host has no IPv6");
        var capture = new CapturingService();
        await using var server = ServerHost.Start(Engine, new ServerOptions { BindAddress = IPAddress.IPv6Any }, capture);

        // One after the other: the iterative engine serves a single client at a time.
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            using var client = await TestClient.ConnectAsync(new IPEndPoint(loopback, server.LocalEndPoint.Port));
            Assert.Equal("dual"u8.ToArray(), await client.EchoAsync("dual"u8.ToArray()));
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await client.ReceiveEndAsync());
        }

        // An IPv4 peer of the dual-stack socket is known by its IPv4 address, not ::ffff:127.0.0.1.
        Assert.Equal(IPAddress.Loopback, (await capture.Connected.Task.WaitAsync(Deadline.Default)).RemoteEndPoint.Address);
    }

    private IServer Start(ServerOptions? options = null)
        => ServerHost.Start(Engine, options ?? new ServerOptions(), new EchoService());

    private sealed class CapturingService : ISessionService
    {
        public TaskCompletionSource<ISession> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnConnected(ISession session) => Connected.TrySetResult(session);

        public void OnReceived(ISession session, ReadOnlySpan<byte> data) => session.Send(data);

        public void OnDisconnected(ISession session, DisconnectReason reason)
        {
        }
    }
}

public sealed class IterativeEchoTests() : EchoEngineTests(EngineKind.Iterative)
{
    [Fact]
    public async Task A_second_client_waits_in_the_backlog_until_the_first_leaves()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions(), new EchoService());
        using var first = await TestClient.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("a"u8.ToArray(), await first.EchoAsync("a"u8.ToArray()));

        using var second = await TestClient.ConnectAsync(server.LocalEndPoint); // completes: the kernel's backlog holds it
        await second.SendAsync("b"u8.ToArray());
        // The first is still served, round trip after round trip; the second's byte sits unanswered meanwhile.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("c"u8.ToArray(), await first.EchoAsync("c"u8.ToArray()));
        }

        Assert.Equal(0, second.Socket.Available);
        first.Socket.Shutdown(SocketShutdown.Send);
        Assert.True(await first.ReceiveEndAsync());
        Assert.Equal("b"u8.ToArray(), await second.ReceiveExactlyAsync(1));
    }
}

public sealed class ThreadsEchoTests() : EchoEngineTests(EngineKind.Threads);

public sealed class SelectEchoTests() : EchoEngineTests(EngineKind.Select)
{
    protected override int ConcurrentClients => 1000;
}

public sealed class AsyncEchoTests() : EchoEngineTests(EngineKind.Async)
{
    protected override int ConcurrentClients => 1000;
}
