using Wirekit.Chat;
using Wirekit.Cli.Chat;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>`chat join` driven through its piped console, against a real server on port 0.</summary>
public sealed class ChatJoinTests
{
    [Fact]
    public async Task Piped_input_sends_each_line_takes_the_name_and_exits_at_end_of_input()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var (watcher, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "alice", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new StringReader("one\ntwo\n"), output));

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        var seen = await watcher.SkipUntilAsync("-!- alice left (closed)");
        Assert.Equal(["<alice> one", "<alice> two"], seen.Where(line => line.StartsWith('<')));
        Assert.Contains("<alice> two", output.ToString());
    }

    [Fact]
    public async Task With_a_name_asked_for_the_welcome_does_not_call_us_by_the_default_one()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "alice", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new StringReader("/who\n"), output));

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        var lines = output.ToString().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("-!- welcome; /help lists the commands", lines[0]);
        Assert.Equal("-!- alice joined", lines[1]);
        Assert.DoesNotContain("user1", output.ToString());
    }

    [Fact]
    public async Task Quit_leaves_with_the_reason_and_the_client_closes_first()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var (watcher, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "bob", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new StringReader("hi\n/quit\nnever sent\n"), TextWriter.Null));

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        var seen = await watcher.SkipUntilAsync("-!- bob left (quit)");
        Assert.DoesNotContain(seen, line => line.Contains("never sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_reconnect_a_refused_connection_fails_with_exit_1()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var port = server.LocalEndPoint.Port;
        await server.StopAsync();
        var runner = new ChatJoinRunner(new ChatJoinSettings("127.0.0.1", port, null, Reconnect: false), new PipedLineConsole(new StringReader(""), TextWriter.Null));

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));
        Assert.StartsWith($"cannot connect to 127.0.0.1:{port}: ", failure.Message);
    }

    [Fact]
    public async Task With_reconnect_it_says_each_attempt_and_comes_back_after_the_server_restarts()
    {
        var first = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var port = first.LocalEndPoint.Port;
        var input = new BlockingLines();
        var output = new SharedWriter();
        var settings = new ChatJoinSettings("127.0.0.1", port, "carol", Reconnect: true) { FirstBackoff = TimeSpan.FromMilliseconds(100) };
        var run = new ChatJoinRunner(settings, new PipedLineConsole(input, output)).RunAsync(CancellationToken.None);
        await Deadline.UntilAsync(() => first.Members == 1, "the client to join");

        await first.StopAsync();
        await Deadline.UntilAsync(() => output.Lines.Contains("-!- attempt 1: cannot connect to 127.0.0.1:" + port + ": Connection refused"), "a refused attempt");
        await using var second = ChatTestServer.Start(EngineKind.Async, new ServerOptions { Port = port });
        await Deadline.UntilAsync(() => output.Lines.Contains("-!- reconnected to 127.0.0.1:" + port), "the client to rejoin");
        input.Add("back again");
        input.End();

        Assert.Equal(0, await run.WaitAsync(Deadline.Default));
        var lines = output.Lines;
        Assert.Equal(["-!- server shutting down", "-!- disconnected by the server", "-!- reconnecting in 0.1 s (attempt 1)"], lines.SkipWhile(line => line != "-!- server shutting down").Take(3));
        Assert.Contains("-!- reconnecting in 0.2 s (attempt 2)", lines);
        Assert.Equal(2, lines.Count(line => line == "-!- carol joined")); // the new server's first session takes the name again, at join time
        Assert.Contains("<carol> back again", lines);
    }

    [Fact]
    public async Task A_line_typed_while_offline_is_reported_as_not_sent_and_never_sent_later()
    {
        await using var first = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var port = first.LocalEndPoint.Port;
        var input = new BlockingLines();
        var output = new SharedWriter();
        var settings = new ChatJoinSettings("127.0.0.1", port, "dave", Reconnect: true) { FirstBackoff = TimeSpan.FromMilliseconds(100) };
        var run = new ChatJoinRunner(settings, new PipedLineConsole(input, output)).RunAsync(CancellationToken.None);
        await Deadline.UntilAsync(() => output.Lines.Contains("-!- dave joined"), "the client to join");
        await first.StopAsync();
        await Deadline.UntilAsync(() => output.Lines.Contains("-!- disconnected by the server"), "the drop to be seen");

        input.Add("said into the void");
        await Deadline.UntilAsync(() => output.Lines.Contains("-!- not sent (offline): said into the void"), "the unsent line to be reported");
        await using var second = ChatTestServer.Start(EngineKind.Async, new ServerOptions { Port = port });
        var (watcher, _) = await ChatTestClient.JoinAsync(second.LocalEndPoint);
        await Deadline.UntilAsync(() => second.Members == 2, "the client to rejoin");
        input.Add("back");
        input.End();

        Assert.Equal(0, await run.WaitAsync(Deadline.Default));
        var seen = await watcher.SkipUntilAsync("-!- dave left (closed)");
        Assert.Equal(["<dave> back"], seen.Where(line => line.StartsWith('<')));
    }

    [Fact]
    public async Task Lines_from_a_hostile_server_are_printed_without_their_escapes()
    {
        // Not a Wirekit server: one that sends what a terminal would obey (title change, clear screen, bidi override).
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync();
            await peer.SendAsync(System.Text.Encoding.UTF8.GetBytes("\u001b]0;owned\u0007 \u009b2J \u202etxt.exe\u2028next\n"));
            peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", ((System.Net.IPEndPoint)listener.LocalEndpoint).Port, null, Reconnect: false);
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new BlockingLines(), output));

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));
        await serving.WaitAsync(Deadline.Default);

        Assert.Equal("?]0;owned? ?2J ?txt.exe?next", output.ToString().Split('\n')[0]);
        Assert.Equal($"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port} closed the connection", failure.Message);
    }

    [Fact]
    public async Task Piped_a_taken_name_fails_with_a_clear_message_and_exit_1_and_says_nothing()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "ALICE", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new StringReader("never sent\n"), TextWriter.Null));

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Equal("cannot join as ALICE: the name ALICE is taken; choose another with --name", failure.Message);
        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "the refused client to be gone");
        await alice.SendLineAsync("/who");
        Assert.Empty(await alice.SkipUntilAsync("-!- 1 online: alice")); // no join, no leave: the room never met it
    }

    [Fact]
    public async Task In_a_terminal_a_taken_name_is_asked_for_again_and_the_join_carries_the_new_one()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "alice", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new AnsweringConsole(new StringReader("bob\nhi\n"), output));

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Equal(["-!- bob joined", "<bob> hi"], await alice.SkipUntilAsync("-!- bob left (closed)"));
        var printed = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("! error: the name alice is taken", printed);
        Assert.Contains("-!- type another name, or press Enter to stay user2", printed);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_name_fails_the_join_with_exit_1()
    {
        // Accepts and says nothing, as a server that is not a chat server might.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var settings = new ChatJoinSettings("127.0.0.1", port, "alice", Reconnect: false) { NameWait = TimeSpan.FromMilliseconds(200), CloseWait = TimeSpan.FromMilliseconds(200) };
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new BlockingLines(), TextWriter.Null));

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Equal($"127.0.0.1:{port} did not answer /nick alice within 0.2 s; is it a Wirekit chat server?", failure.Message);
        (await accepting.WaitAsync(Deadline.Default)).Dispose();
    }

    [Fact]
    public async Task A_server_relaying_text_newline_NUL_shows_one_line_per_message_and_no_empty_ones()
    {
        // The classic C chat server relays each newline client's message as text\n\0, and ends lines \r\n for telnet.
        using var peer = new SeedStylePeer();
        var serving = peer.ServeAsync(async client =>
        {
            await client.SendAsync("<user2> l1\n\0"u8.ToArray());
            await client.SendAsync("<user2> l2\n"u8.ToArray());
            await client.SendAsync("\0<user2> l3\r\n\0"u8.ToArray()); // the NUL of l2 arrives in the next receive
            await client.SendAsync("<user3> nul\0\0\0"u8.ToArray());
        });
        var output = new StringWriter();
        var runner = new ChatJoinRunner(new ChatJoinSettings("127.0.0.1", peer.Port, null, Reconnect: false), new PipedLineConsole(new BlockingLines(), output));

        await Assert.ThrowsAsync<CommandFailure>(() => runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));
        await serving.WaitAsync(Deadline.Default);

        Assert.Equal("<user2> l1\n<user2> l2\n<user2> l3\n<user3> nul\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Ctrl_C_leaves_the_room_and_exits_130()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var (watcher, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        using var stop = new CancellationTokenSource();
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "erin", Reconnect: false);
        var run = new ChatJoinRunner(settings, new PipedLineConsole(new BlockingLines(), TextWriter.Null)).RunAsync(stop.Token);
        await watcher.SkipUntilAsync("-!- erin joined");

        await stop.CancelAsync();

        Assert.Equal(130, await run.WaitAsync(Deadline.Default));
        await watcher.SkipUntilAsync("-!- erin left (closed)"); // still our FIN first: a clean leave, not a reset
    }

    [Fact]
    public async Task Json_prints_each_line_of_the_room_as_one_object()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "alice", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new ChatJsonConsole(new PipedLineConsole(new StringReader("hi\n"), output)));

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal("{\"kind\":\"notice\",\"text\":\"alice joined\"}", lines[1]);
        Assert.Equal("{\"kind\":\"message\",\"text\":\"hi\",\"from\":\"alice\"}", lines[2]);
        Assert.Equal(new ChatJsonLine("error", "the name bob is taken"), ChatJsonLine.Of("! error: the name bob is taken"));
        Assert.Equal(new ChatJsonLine("other", "* bob waves"), ChatJsonLine.Of("* bob waves"));
    }

    [Fact]
    public async Task Quiet_prints_only_what_members_say()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "alice", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new QuietChatConsole(new PipedLineConsole(new StringReader("hi\n"), output)));

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Equal("<alice> hi\n", output.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>Output the client writes from its receive task while the test reads it.</summary>
    private sealed class SharedWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lock)
                {
                    return ToString().Split('\n', StringSplitOptions.TrimEntries);
                }
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }
    }

    /// <summary>The piped console, but one whose reader is a person who can answer a question.</summary>
    private sealed class AnsweringConsole(TextReader input, TextWriter output) : ILineConsole
    {
        private readonly PipedLineConsole _lines = new(input, output);

        public bool CanAsk => true;

        public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => _lines.ReadLineAsync(cancellationToken);

        public void Print(string line) => _lines.Print(line);

        public void Finish() => _lines.Finish();
    }
}
