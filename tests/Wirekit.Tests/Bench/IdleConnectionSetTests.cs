using System.Net;
using System.Net.Sockets;
using Wirekit.Bench;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Bench;

public sealed class IdleConnectionSetTests
{

    [Fact]
    public async Task Every_connection_opens_and_still_echoes()
    {
        var echo = new CountingEchoService();
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), echo);

        using var set = await IdleConnectionSet.OpenAsync(new IdleConnectionOptions { Target = server.LocalEndPoint, Count = 200 })
            .WaitAsync(Deadline.Default);
        var held = await set.CountEchoingAsync().WaitAsync(Deadline.Default);

        Assert.Equal(200, set.Opened);
        Assert.Equal(0, set.ConnectFailures);
        Assert.Equal(200, held);
        Assert.Equal(200 * 4, echo.ReceivedBytes);
    }

    [SkippableFact]
    public async Task Connections_rotate_through_loopback_source_addresses()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "only Linux routes all of 127.0.0.0/8 to loopback without setup");
        var echo = new CountingEchoService();
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), echo);

        using var set = await IdleConnectionSet.OpenAsync(
            new IdleConnectionOptions { Target = server.LocalEndPoint, Count = 25, ConnectionsPerSource = 10 }).WaitAsync(Deadline.Default);
        var held = await set.CountEchoingAsync().WaitAsync(Deadline.Default);

        Assert.Equal(25, held);
        Assert.Equal(3, set.SourceAddresses);
        Assert.Equal(25, echo.Peers.Count); // each echoed, so each was accepted
        var bySource = echo.Peers.GroupBy(a => a.ToString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["127.0.0.1"] = 10, ["127.0.0.2"] = 10, ["127.0.0.3"] = 5 }, bySource);
    }

    [Fact]
    public async Task Refused_connections_are_counted_not_thrown()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        using var set = await IdleConnectionSet.OpenAsync(
            new IdleConnectionOptions { Target = (IPEndPoint)closed.LocalEndPoint!, Count = 5 }).WaitAsync(Deadline.Default);

        Assert.Equal(0, set.Opened);
        Assert.Equal(5, set.ConnectFailures);
        Assert.Equal(0, await set.CountEchoingAsync().WaitAsync(Deadline.Default));
    }

    [SkippableFact]
    public void Resident_memory_of_a_running_process_is_readable()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "VmRSS comes from /proc");

        Assert.True(ProcessMemory.ReadResidentBytes(Environment.ProcessId) > 1024 * 1024);
        Assert.Null(ProcessMemory.ReadResidentBytes(int.MaxValue));
    }
}
