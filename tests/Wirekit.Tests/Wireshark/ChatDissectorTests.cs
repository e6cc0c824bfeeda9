using System.Net;
using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Wireshark;

/// <summary>tools/wireshark/wirekit_chat.lua against a captured room: what each side sent, line by line, on an ephemeral port.</summary>
public sealed class ChatDissectorTests
{
    [SkippableFact]
    public async Task A_captured_session_shows_each_line_its_terminator_and_the_command_name()
    {
        LoopbackCapture.SkipUnlessAvailable();
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions(),
            // Both join by their first line (/nick), so the room's arrival timer must never announce them first.
            new ChatOptions { JoinGrace = Deadline.Default });
        await using var capture = await LoopbackCapture.StartAsync($"tcp port {server.LocalEndPoint.Port}");

        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        // Bob speaks like the seed's C client: NUL-terminated, from his first message on.
        using var bob = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await bob.SendLineAsync("/nick bob", '\0');
        await bob.SkipUntilAsync("-!- bob joined");
        await bob.SendLineAsync("hi from bob", '\0');
        await alice.SkipUntilAsync("<bob> hi from bob");
        // A line cut in two segments: two writes back to back, Nagle off.
        alice.Socket.NoDelay = true;
        await alice.SendRawAsync(Encoding.UTF8.GetBytes("hel"));
        await alice.SendRawAsync(Encoding.UTF8.GetBytes("lo world\r\n"));
        await alice.SkipUntilAsync("<alice> hello world");
        await alice.SendLineAsync("/me waves");
        await alice.SkipUntilAsync("* alice waves");
        await alice.SendLineAsync("/quit bye");
        await bob.SkipUntilAsync("-!- alice left (quit: bye)");
        var file = await capture.StopAsync();

        var sent = await Tshark.FieldsAsync(file, "wirekit_chat.from_server == 0", "wirekit_chat.line", "wirekit_chat.command", "tcp.segment.count");
        Assert.Equal(["/nick alice", "/nick bob", "hi from bob", "hello world", "/me waves", "/quit bye"], Tshark.Column(sent, 0));
        Assert.Equal(["nick", "nick", "me", "quit"], Tshark.Column(sent, 1));
        Assert.Equal("2", sent[3][2]);

        var bobPort = ((IPEndPoint)bob.Socket.LocalEndPoint!).Port;
        var received = await Tshark.FieldsAsync(file, $"wirekit_chat && tcp.dstport == {bobPort}", "wirekit_chat.line", "wirekit_chat.terminator", "wirekit_chat.kind");
        Assert.Equal(
            ["-!- welcome, you are user2; /help lists the commands", "-!- bob joined", "<bob> hi from bob", "<alice> hello world", "* alice waves",
                "-!- alice left (quit: bye)"],
            Tshark.Column(received, 0));
        // Bob's first message ended in NUL, so from then on the server ends his lines the same way.
        Assert.Equal([@"\n", @"\0", @"\0", @"\0", @"\0", @"\0"], Tshark.Column(received, 1));
        Assert.Equal(["notice", "notice", "message", "message", "action", "notice"], Tshark.Column(received, 2));
    }
}
