using System.Diagnostics;
using System.IO.Hashing;
using System.Net;
using System.Net.Sockets;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Proxy;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Proxy;

/// <summary>Plain forwarding and the stream-shaping faults, against Wirekit's echo server and raw sockets.</summary>
public sealed class ProxyForwardingTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    [InlineData("7:1")]
    public async Task Echo_through_the_proxy_returns_every_byte_in_order(string? slice)
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        var faults = slice is null ? ProxyFaults.None : ProxyScope.Faults(("slice", slice));
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint, faults, faults);
        var size = slice == "7:1" ? 2_000 : 20_000;
        var data = new byte[size];
        new Random(13).NextBytes(data);

        using (var client = await TestClient.ConnectAsync(proxy.EndPoint))
        {
            var reply = client.ReceiveExactlyAsync(size);
            await client.SendAsync(data);
            Assert.Equal(XxHash128.HashToUInt128(data), XxHash128.HashToUInt128(await reply));
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await client.Socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Deadline.Default));
        }

        var report = await proxy.SingleReportAsync();
        Assert.Equal((size, size, ProxyEnd.Closed), (report.BytesUp, report.BytesDown, report.End));
        Assert.Equal(slice is null ? [] : new[] { "up slice", "down slice" }, report.Faults);
    }

    [Fact]
    public async Task A_half_close_keeps_the_other_direction_open()
    {
        using var listener = Listen();
        await using var proxy = ProxyScope.Start((IPEndPoint)listener.LocalEndPoint!);
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        using var server = await listener.AcceptAsync().WaitAsync(Deadline.Default);

        await client.SendAsync("request"u8.ToArray());
        client.Socket.Shutdown(SocketShutdown.Send);
        // The server sees the request, then end of stream, and can still answer: FIN went one way only.
        var request = new byte[64];
        var got = 0;
        while (await server.ReceiveAsync(request.AsMemory(got), SocketFlags.None).AsTask().WaitAsync(Deadline.Default) is var n && n > 0)
        {
            got += n;
        }

        Assert.Equal("request"u8.ToArray(), request[..got]);
        await server.SendAsync("answer after your FIN"u8.ToArray());
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal("answer after your FIN"u8.ToArray(), await client.ReceiveExactlyAsync(21));
        Assert.Equal(0, await client.Socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Deadline.Default));
        Assert.Equal(ProxyEnd.Closed, (await proxy.SingleReportAsync()).End);
    }

    [Fact]
    public async Task A_reset_from_the_target_reaches_the_client_as_a_reset()
    {
        using var listener = Listen();
        await using var proxy = ProxyScope.Start((IPEndPoint)listener.LocalEndPoint!);
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        var server = await listener.AcceptAsync().WaitAsync(Deadline.Default);
        await server.SendAsync("partial"u8.ToArray());
        Assert.Equal("partial"u8.ToArray(), await client.ReceiveExactlyAsync(7));

        server.LingerState = new LingerOption(true, 0);
        server.Dispose();

        var error = await Assert.ThrowsAsync<SocketException>(() => client.Socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Deadline.Default));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        var report = await proxy.SingleReportAsync();
        Assert.Equal((ProxyEnd.TargetReset, 7L), (report.End, report.BytesDown));
    }

    [Fact]
    public async Task Limit_data_forwards_exactly_the_limit_then_closes()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint, down: ProxyScope.Faults(("limit-data", "1000")));
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        await client.SendAsync(new byte[5000]);

        var received = 0;
        var buffer = new byte[8192];
        while (await client.Socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Deadline.Default) is var n && n > 0)
        {
            received += n;
        }

        Assert.Equal(1000, received);
        var report = await proxy.SingleReportAsync();
        Assert.Equal((ProxyEnd.LimitData, 1000L), (report.End, report.BytesDown));
        Assert.Contains("down limit-data", report.Faults);
    }

    [Fact]
    public async Task Latency_holds_every_round_trip_at_least_that_long_and_keeps_the_order()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        // Both directions: a fault given as --latency (no --up-/--down-) holds each way.
        var latency = ProxyScope.Faults(("latency", "50:20"));
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint, up: latency, down: latency);
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        var clock = Stopwatch.StartNew();
        // Each byte a send of its own and a chunk of its own: with jitter the order must still hold.
        var expected = new byte[40];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)i;
            await client.SendAsync(new[] { (byte)i });
        }

        Assert.Equal(expected, await client.ReceiveExactlyAsync(expected.Length));
        // Up and down each hold at least latency - jitter: a lower bound only, which load cannot break.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(2 * 30), $"round trip took {clock.Elapsed.TotalMilliseconds:0} ms");
        proxy.Execute("remove latency");
        clock.Restart();
        await client.SendAsync("x"u8.ToArray());
        Assert.Equal("x"u8.ToArray(), await client.ReceiveExactlyAsync(1));
        client.Socket.Shutdown(SocketShutdown.Send);
        var faults = (await proxy.SingleReportAsync()).Faults;
        Assert.Contains("up latency", faults);
        Assert.Contains("down latency", faults);
    }

    [Fact]
    public async Task Beyond_max_connections_a_client_is_reset_and_the_others_are_served()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        await using var proxy = FaultProxy.Start(new ProxyOptions { TargetHost = "127.0.0.1", TargetPort = echo.LocalEndPoint.Port, MaxConnections = 1 });
        using var first = await TestClient.ConnectAsync(proxy.LocalEndPoint);
        await first.SendAsync("a"u8.ToArray());
        Assert.Equal("a"u8.ToArray(), await first.ReceiveExactlyAsync(1));

        // The reset can beat the end of connect on the client's side, or come after: either way the client sees it.
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var second = await TestClient.ConnectAsync(proxy.LocalEndPoint);
            await second.Socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Deadline.Default);
        });
        Assert.Equal(SocketError.ConnectionReset, refused.SocketErrorCode);
        await first.SendAsync("b"u8.ToArray());
        Assert.Equal("b"u8.ToArray(), await first.ReceiveExactlyAsync(1));
        Assert.Equal(1, proxy.Stats.Refused);
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }
}
