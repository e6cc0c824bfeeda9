using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Proxy;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Proxy;

/// <summary>The faults that act in time: each measured by a lower bound only (load makes things slower, never faster).</summary>
public sealed class ProxyTimedFaultTests
{
    [Fact]
    public async Task Reset_after_seconds_resets_an_idle_connection()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint, ProxyScope.Faults(("reset-after", "0.3s")));
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SocketException>(() => client.Socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Deadline.Default));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"reset after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(ProxyEnd.ResetFault, (await proxy.SingleReportAsync()).End);
    }

    [Fact]
    public async Task Slow_close_holds_the_fin()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint, down: ProxyScope.Faults(("slow-close", "300")));
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        await client.SendAsync("bye"u8.ToArray());
        Assert.Equal("bye"u8.ToArray(), await client.ReceiveExactlyAsync(3));
        var clock = Stopwatch.StartNew();
        client.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(0, await client.Socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Deadline.Default));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"FIN after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Contains("down slow-close", (await proxy.SingleReportAsync()).Faults);
    }

    [Fact]
    public async Task Bandwidth_paces_a_transfer()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint, down: ProxyScope.Faults(("bandwidth", "256")));
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        var data = new byte[128 * 1024];
        new Random(5).NextBytes(data);
        var clock = Stopwatch.StartNew();
        var reply = client.ReceiveExactlyAsync(data.Length);
        await client.SendAsync(data);

        Assert.Equal(data, await reply);
        // 128 KiB at 256 KiB/s: half a second, less the first piece that leaves at once.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"128 KiB in {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Bytes_sent_during_a_cut_arrive_after_restore()
    {
        await using var echo = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0 }, new EchoService());
        await using var proxy = ProxyScope.Start(echo.LocalEndPoint);
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        await client.SendAsync("before"u8.ToArray());
        Assert.Equal("before"u8.ToArray(), await client.ReceiveExactlyAsync(6));

        proxy.Execute("cut");
        var reply = client.ReceiveExactlyAsync(6);
        await client.SendAsync("during"u8.ToArray());
        Assert.Contains("cut: yes", proxy.Proxy.Execute("list"));
        proxy.Execute("restore");

        Assert.Equal("during"u8.ToArray(), await reply);
        client.Socket.Shutdown(SocketShutdown.Send);
        var report = await proxy.SingleReportAsync();
        Assert.Equal((12L, 12L), (report.BytesUp, report.BytesDown));
    }

    [Fact]
    public async Task Blackhole_after_seconds_drops_what_follows_and_keeps_both_sockets_open()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var blackhole = ProxyScope.Faults(("blackhole-after", "0.3s"));
        await using var proxy = ProxyScope.Start((IPEndPoint)listener.LocalEndPoint!, blackhole, blackhole);
        using var client = await TestClient.ConnectAsync(proxy.EndPoint);
        using var target = await listener.AcceptAsync().WaitAsync(Deadline.Default);
        var clock = Stopwatch.StartNew();
        var arrived = 0L;
        var counting = CountAsync(target, n => Interlocked.Add(ref arrived, n));

        // A byte at a time until the target has stopped getting them: the fault is in force from 0.3 s on (a
        // lower bound), and from then on nothing passes, so the bytes sent pile up unseen.
        var sent = 0L;
        await Deadline.UntilAsync(
            () =>
            {
                client.Socket.Send("x"u8);
                sent++;
                return clock.Elapsed >= TimeSpan.FromMilliseconds(300) && sent - Interlocked.Read(ref arrived) >= 50;
            },
            "the target to stop receiving");

        // Both ends go on as if the other were there (a zombie peer): the target's byte and its FIN, and the client's
        // FIN, are swallowed; the connection ends once both have closed.
        target.Send("y"u8);
        client.Socket.Shutdown(SocketShutdown.Send);
        target.Shutdown(SocketShutdown.Send);
        var report = await proxy.SingleReportAsync();
        await counting.WaitAsync(Deadline.Default); // ends when the proxy closes its side

        Assert.Equal(ProxyEnd.Closed, report.End);
        Assert.Equal(Interlocked.Read(ref arrived), report.BytesUp);
        Assert.Equal(sent, report.BytesUp + report.DroppedUp);
        Assert.True(report.DroppedUp >= 50, $"{report.DroppedUp} bytes dropped");
        Assert.Equal((0L, 1L), (report.BytesDown, report.DroppedDown));
        Assert.Contains("up blackhole-after", report.Faults);
        Assert.Contains("down blackhole-after", report.Faults);
    }

    /// <summary>Counts what <paramref name="socket"/> receives until the peer closes or resets.</summary>
    private static async Task CountAsync(Socket socket, Action<int> counted)
    {
        var buffer = new byte[4096];
        try
        {
            for (int n; (n = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0;)
            {
                counted(n);
            }
        }
        catch (SocketException)
        {
            // Reset: counted is all that came.
        }
    }
}
