using System.Diagnostics;
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
}
