using Wirekit.Chat;
using Wirekit.Cli.Chat;
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
        var runner = new ChatJoinRunner(settings, new PipedChatConsole(new StringReader("one\ntwo\n"), output), TextWriter.Null);

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        var seen = await watcher.SkipUntilAsync("* alice left (closed)");
        Assert.Equal(["<alice> one", "<alice> two"], seen.Where(line => line.StartsWith('<')));
        Assert.Contains("<alice> two", output.ToString());
    }

    [Fact]
    public async Task Quit_leaves_with_the_reason_and_the_client_closes_first()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var (watcher, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var settings = new ChatJoinSettings("127.0.0.1", server.LocalEndPoint.Port, "bob", Reconnect: false);
        var runner = new ChatJoinRunner(settings, new PipedChatConsole(new StringReader("hi\n/quit\nnever sent\n"), TextWriter.Null), TextWriter.Null);

        Assert.Equal(0, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        var seen = await watcher.SkipUntilAsync("* bob left (quit)");
        Assert.DoesNotContain(seen, line => line.Contains("never sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_reconnect_a_refused_connection_fails_with_exit_1()
    {
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var port = server.LocalEndPoint.Port;
        await server.StopAsync();
        var errors = new StringWriter();
        var runner = new ChatJoinRunner(new ChatJoinSettings("127.0.0.1", port, null, Reconnect: false), new PipedChatConsole(new StringReader(""), TextWriter.Null), errors);

        Assert.Equal(1, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));
        Assert.Contains("cannot connect", errors.ToString());
    }

    [Fact]
    public async Task With_reconnect_it_comes_back_after_the_server_restarts()
    {
        var first = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        var port = first.LocalEndPoint.Port;
        var input = new BlockingLines();
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", port, "carol", Reconnect: true) { FirstBackoff = TimeSpan.FromMilliseconds(100) };
        var run = new ChatJoinRunner(settings, new PipedChatConsole(input, output), TextWriter.Null).RunAsync(CancellationToken.None);
        await Deadline.UntilAsync(() => first.Members == 1, "the client to join");

        await first.StopAsync();
        await using var second = ChatTestServer.Start(EngineKind.Async, new ServerOptions { Port = port });
        await Deadline.UntilAsync(() => second.Members == 1, "the client to rejoin");
        input.Add("back again");
        input.End();

        Assert.Equal(0, await run.WaitAsync(Deadline.Default));
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("* server shutting down", lines);
        Assert.Contains("* reconnecting in 0.1 s", lines);
        Assert.Contains("* user1 is now known as carol", lines); // the new server's first session takes the name again
        Assert.Contains("<carol> back again", lines);
    }

    /// <summary>A reader whose lines are supplied while the test runs.</summary>
    private sealed class BlockingLines : TextReader
    {
        private readonly System.Threading.Channels.Channel<string?> _lines = System.Threading.Channels.Channel.CreateUnbounded<string?>();

        public void Add(string line) => _lines.Writer.TryWrite(line);

        public void End() => _lines.Writer.TryWrite(null);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => await _lines.Reader.ReadAsync(cancellationToken);
    }
}
