using System.Net;
using System.Net.Sockets;
using Wirekit.Cli.Commands;
using Wirekit.Diagnostics;

namespace Wirekit.Tests.Diagnostics;

public sealed class PortsTests
{
    [SkippableFact]
    public void A_listener_the_test_opens_shows_up_with_the_tests_pid()
    {
        Skip.IfNot(SocketTable.KnowsOwners, "/proc/net/tcp is Linux-only");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var entries = SocketTable.Read(port, listeningOnly: true);

        var entry = Assert.Single(entries, e => e.Protocol == "tcp");
        Assert.Equal("LISTEN", entry.State);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), entry.Local);
        Assert.Equal(Environment.ProcessId, entry.Pid);
    }

    [SkippableFact]
    public void The_command_prints_a_bound_udp_socket_with_pid_and_process()
    {
        Skip.IfNot(SocketTable.KnowsOwners, "/proc/net/udp is Linux-only");
        using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
        var output = new StringWriter();

        Assert.Equal(0, PortsCommand.Run(output, TextWriter.Null, port, listeningOnly: false, asJson: false));

        var row = Assert.Single(output.ToString().Split('\n'), line => line.StartsWith("udp6"));
        Assert.Contains($"[::1]:{port}", row);
        Assert.Contains("UNCONN", row);
        Assert.Contains($"{Environment.ProcessId}/", row);
    }

    /// <summary>
    /// The table Windows and macOS get (no /proc there): read here through the same .NET call, it must show what the
    /// test opened, with the /proc table's state names, and say nothing of owners it cannot know.
    /// </summary>
    [Fact]
    public void The_portable_table_shows_a_listener_and_both_ends_of_a_connection()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var server = (IPEndPoint)listener.LocalEndPoint!;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(server);
        using var accepted = listener.Accept();
        var clientEnd = (IPEndPoint)client.LocalEndPoint!;

        var entries = PortableSocketTable.Read(System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties());

        var listening = Assert.Single(entries, e => e.State == "LISTEN" && e.Local.Equals(server));
        Assert.Equal("tcp", listening.Protocol);
        Assert.True(listening.IsListening);
        Assert.Null(listening.Pid);
        Assert.Single(entries, e => e.State == "ESTABLISHED" && e.Local.Equals(clientEnd) && e.Remote.Equals(server));
        Assert.Single(entries, e => e.State == "ESTABLISHED" && e.Local.Equals(server) && e.Remote.Equals(clientEnd));
    }

    [Theory]
    [InlineData(System.Net.NetworkInformation.TcpState.TimeWait, "TIME_WAIT")]
    [InlineData(System.Net.NetworkInformation.TcpState.CloseWait, "CLOSE_WAIT")]
    [InlineData(System.Net.NetworkInformation.TcpState.SynReceived, "SYN_RECV")]
    public void Portable_states_are_named_as_proc_names_them(System.Net.NetworkInformation.TcpState state, string name)
        => Assert.Equal(name, PortableSocketTable.StateName(state));

    [Theory]
    [InlineData("0100007F:1F90", "127.0.0.1:8080")]
    [InlineData("00000000:0035", "0.0.0.0:53")]
    [InlineData("00000000000000000000000001000000:61A8", "[::1]:25000")]
    [InlineData("0000000000000000FFFF00000100007F:0016", "[::ffff:127.0.0.1]:22")]
    public void Kernel_hex_addresses_decode(string text, string expected)
    {
        Assert.True(ProcNetParser.TryParseEndPoint(text, out var endPoint));
        Assert.Equal(expected, endPoint!.ToString());
    }

    [Fact]
    public void A_table_line_decodes_and_the_header_is_skipped()
    {
        const string header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
        const string line = "   0: 0100007F:61A8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 123456 1 0000000000000000 100 0 0 10 0";

        Assert.False(ProcNetParser.TryParseLine("tcp", header, out _));
        Assert.True(ProcNetParser.TryParseLine("tcp", line, out var entry));
        Assert.Equal("LISTEN", entry!.State);
        Assert.Equal(25000, entry.Local.Port);
        Assert.Equal(1000, entry.Uid);
        Assert.Equal(123456, entry.Inode);
    }

    [Theory]
    [InlineData("0100007F1F90")]
    [InlineData("0100007F:1F9")]
    [InlineData("XX00007F:1F90")]
    public void Malformed_addresses_are_rejected(string text)
        => Assert.False(ProcNetParser.TryParseEndPoint(text, out _));
}
