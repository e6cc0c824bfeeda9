using System.Net;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Terminal;
using Wirekit.Tests.Infrastructure;
using Wirekit.Udp;

namespace Wirekit.Tests.Cli;

/// <summary>`udp chat` on the line editor: a datagram that arrives mid-typing goes above the typed line.</summary>
public sealed class UdpChatTerminalTests
{
    [Fact]
    public async Task A_datagram_arriving_while_typing_is_printed_above_the_typed_line_and_Ctrl_C_exits_130()
    {
        using var peer = DatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var terminal = new FakeTerminal(80);
        var console = new TerminalLineConsole(terminal, terminal, () => terminal.Width);
        using var stop = new CancellationTokenSource();
        var chat = UdpCommand.RunChatAsync(new IPEndPoint(IPAddress.Loopback, 0), peer.LocalEndPoint, console, TextWriter.Null, stop.Token);
        await Deadline.UntilAsync(() => terminal.Screen.Count > 0 && terminal.Screen[0].StartsWith("chatting on 127.0.0.1:", StringComparison.Ordinal), "the chat to start");
        var local = terminal.Screen[0]["chatting on ".Length..terminal.Screen[0].IndexOf(' ', "chatting on ".Length)];

        terminal.Type("half a li");
        await Deadline.UntilAsync(() => terminal.Screen[^1] == "> half a li", "the typed text");
        await peer.SendToAsync("hello there"u8.ToArray(), IPEndPoint.Parse(local), CancellationToken.None);
        await Deadline.UntilAsync(() => terminal.Screen.Count == 3, "the datagram");

        Assert.Equal([$"[{peer.LocalEndPoint}] hello there", "> half a li"], terminal.Screen.Skip(1));
        await stop.CancelAsync();
        Assert.Equal(130, await chat.WaitAsync(Deadline.Default));
    }
}
