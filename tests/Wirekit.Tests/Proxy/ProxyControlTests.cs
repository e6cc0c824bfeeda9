using Wirekit.Proxy;

namespace Wirekit.Tests.Proxy;

/// <summary>The control commands and the fault words, without sockets: the exact reply a person reads.</summary>
public sealed class ProxyControlTests
{
    [Theory]
    [InlineData("add up latency 200:50", "ok: up latency 200:50", "up: latency 200:50; down: none; cut: no; connections: 0")]
    [InlineData("add slice 1", "ok: slice 1", "up: slice 1; down: slice 1; cut: no; connections: 0")]
    [InlineData("add down stall-reads", "ok: down stall-reads", "up: none; down: stall-reads; cut: no; connections: 0")]
    [InlineData("add reset-after 2.5s", "ok: reset-after 2.5s", "up: reset-after 2.5s; down: reset-after 2.5s; cut: no; connections: 0")]
    [InlineData("cut", "ok: cut (nothing is read or forwarded until restore)", "up: none; down: none; cut: yes; connections: 0")]
    [InlineData("add latency soon", "error: latency: 'soon' is not a number (0 or more)", "up: none; down: none; cut: no; connections: 0")]
    [InlineData("add jitter 5", "error: unknown fault 'jitter' (faults: latency, bandwidth, slice, limit-data, reset-after, blackhole-after, slow-close, corrupt, stall-reads)", "up: none; down: none; cut: no; connections: 0")]
    [InlineData("add latency", "error: latency needs a value: latency MS[:JITTER]", "up: none; down: none; cut: no; connections: 0")]
    public void A_command_replies_one_line_and_list_shows_the_result(string command, string reply, string listed)
    {
        var table = new ProxyFaultTable(ProxyFaults.None, ProxyFaults.None);
        Assert.Equal(reply, ProxyControl.Execute(table, command, active: 0));
        Assert.Equal(listed, ProxyControl.Execute(table, "list", active: 0));
    }

    [Fact]
    public void Remove_turns_off_one_fault_one_direction_or_all()
    {
        var table = new ProxyFaultTable(ProxyScope.Faults(("latency", "100"), ("corrupt", "0.5")), ProxyScope.Faults(("latency", "100")));
        Assert.Equal("ok: up latency removed", ProxyControl.Execute(table, "remove up latency", 0));
        Assert.Equal("up: corrupt 0.5; down: latency 100; cut: no; connections: 0", ProxyControl.Execute(table, "list", 0));
        Assert.Equal("ok: no faults", ProxyControl.Execute(table, "remove all", 0));
        Assert.Equal(ProxyFaults.None, table[ProxyDirection.Up]);
        Assert.Equal(ProxyFaults.None, table[ProxyDirection.Down]);
    }
}
