using System.Net;
using Wirekit.Bench;

namespace Wirekit.Tests.Bench;

public sealed class IdleConnectionSetTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_connection_opens_and_still_echoes()
    {
        await using var server = new LoopbackEchoServer();

        using var set = await IdleConnectionSet.OpenAsync(new IdleConnectionOptions { Target = server.EndPoint, Count = 200 })
            .WaitAsync(Limit);
        var held = await set.CountEchoingAsync().WaitAsync(Limit);

        Assert.Equal(200, set.Opened);
        Assert.Equal(0, set.ConnectFailures);
        Assert.Equal(200, held);
        Assert.Equal(200 * 4, server.EchoedBytes);
    }

    [SkippableFact]
    public async Task Connections_rotate_through_loopback_source_addresses()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "only Linux routes all of 127.0.0.0/8 to loopback without setup");
        await using var server = new LoopbackEchoServer();

        using var set = await IdleConnectionSet.OpenAsync(
            new IdleConnectionOptions { Target = server.EndPoint, Count = 25, ConnectionsPerSource = 10 }).WaitAsync(Limit);
        var held = await set.CountEchoingAsync().WaitAsync(Limit);

        Assert.Equal(25, held);
        Assert.Equal(3, set.SourceAddresses);
        await WaitUntilAsync(() => server.RemoteAddresses.Count == 25);
        var bySource = server.RemoteAddresses.GroupBy(a => a.ToString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["127.0.0.1"] = 10, ["127.0.0.2"] = 10, ["127.0.0.3"] = 5 }, bySource);
    }

    [Fact]
    public async Task Refused_connections_are_counted_not_thrown()
    {
        using var closed = new System.Net.Sockets.Socket(
            System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        using var set = await IdleConnectionSet.OpenAsync(
            new IdleConnectionOptions { Target = (IPEndPoint)closed.LocalEndPoint!, Count = 5 }).WaitAsync(Limit);

        Assert.Equal(0, set.Opened);
        Assert.Equal(5, set.ConnectFailures);
        Assert.Equal(0, await set.CountEchoingAsync().WaitAsync(Limit));
    }

    [SkippableFact]
    public void Resident_memory_of_a_running_process_is_readable()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "VmRSS comes from /proc");

        Assert.True(ProcessMemory.ReadResidentBytes(Environment.ProcessId) > 1024 * 1024);
        Assert.Null(ProcessMemory.ReadResidentBytes(int.MaxValue));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
