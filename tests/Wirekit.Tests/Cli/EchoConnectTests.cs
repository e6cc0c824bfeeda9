using System.Text;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Terminal;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>`echo connect` against peers that do not answer as long as they were asked, that close, and in a terminal.</summary>
public sealed class EchoConnectTests
{
    [Fact]
    public async Task A_server_replying_with_its_whole_buffer_prints_each_reply_up_to_its_NUL()
    {
        using var peer = new SeedStylePeer();
        var received = new List<byte[]>();
        var serving = peer.ServeAsync(client => SeedStylePeer.EchoWholeBufferAsync(client, received));
        var output = new StringWriter();

        var exit = await EchoCommand.RunClientAsync(
            EchoCliTests.Settings(peer.Port), new PipedLineConsole(new StringReader("a longer first line\ntwo\nthree\n"), output), TextWriter.Null, CancellationToken.None)
            .WaitAsync(Deadline.Default);

        Assert.Equal(0, exit);
        Assert.Equal("From server: a longer first line\nFrom server: two\nFrom server: three\n", output.ToString().ReplaceLineEndings("\n"));
        await serving.WaitAsync(Deadline.Default);
    }

    [Fact]
    public async Task Nul_sends_each_line_as_text_and_one_NUL_byte()
    {
        using var peer = new SeedStylePeer();
        var received = new List<byte[]>();
        var serving = peer.ServeAsync(client => SeedStylePeer.EchoWholeBufferAsync(client, received));
        var output = new StringWriter();

        var exit = await EchoCommand.RunClientAsync(
            EchoCliTests.Settings(peer.Port) with { Nul = true }, new PipedLineConsole(new StringReader("hello world\nhi\n"), output), TextWriter.Null, CancellationToken.None)
            .WaitAsync(Deadline.Default);

        Assert.Equal(0, exit);
        await serving.WaitAsync(Deadline.Default);
        Assert.Equal("hello world\0hi\0", Encoding.UTF8.GetString(received.SelectMany(bytes => bytes).ToArray()));
        Assert.Equal("From server: hello world\nFrom server: hi\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_server_that_closes_is_noticed_at_once_not_at_the_next_line()
    {
        using var peer = new SeedStylePeer();
        var serving = peer.ServeAsync(_ => Task.CompletedTask); // accepts, then closes
        var errors = new StringWriter();
        var input = new BlockingLines(); // nobody types

        var exit = await EchoCommand.RunClientAsync(EchoCliTests.Settings(peer.Port), new PipedLineConsole(input, TextWriter.Null), errors, CancellationToken.None)
            .WaitAsync(Deadline.Default);

        Assert.Equal(1, exit);
        Assert.Equal("error: the server closed the connection", errors.ToString().Trim());
        await serving;
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_for_a_line_exits_130_at_once()
    {
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var run = EchoCommand.RunClientAsync(EchoCliTests.Settings(server.LocalEndPoint.Port), new PipedLineConsole(new BlockingLines(), output), TextWriter.Null, stop.Token);
        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "the client to connect");

        await stop.CancelAsync();

        Assert.Equal(130, await run.WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task In_a_terminal_it_shows_the_server_as_people_type_it_and_replies_above_the_prompt()
    {
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        var port = server.LocalEndPoint.Port;
        var terminal = new FakeTerminal(80);
        var console = new TerminalLineConsole(terminal, terminal, () => terminal.Width);
        var run = EchoCommand.RunClientAsync(EchoCliTests.Settings(port), console, TextWriter.Null, CancellationToken.None);

        terminal.Type("hello\r");
        await Deadline.UntilAsync(() => terminal.Screen.Contains("From server: hello"), "the reply");
        terminal.Type("EXIT\r");
        Assert.Equal(0, await run.WaitAsync(Deadline.Default));
        console.Finish();

        Assert.Equal([$"connected to 127.0.0.1:{port}; type a line, EXIT to quit", "> hello", "From server: hello", "> EXIT"], terminal.Screen);
        Assert.Equal(0, terminal.Cursor.Column);
    }
}
