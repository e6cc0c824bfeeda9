using System.Text;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
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
            EchoCliTests.Settings(peer.Port), new PipedLineConsole(new StringReader("a longer first line\ntwo\nthree\n"), output), CancellationToken.None)
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
            EchoCliTests.Settings(peer.Port) with { Nul = true }, new PipedLineConsole(new StringReader("hello world\nhi\n"), output), CancellationToken.None)
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
        var input = new BlockingLines(); // nobody types

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => EchoCommand.RunClientAsync(EchoCliTests.Settings(peer.Port), new PipedLineConsole(input, TextWriter.Null), CancellationToken.None)
            .WaitAsync(Deadline.Default));

        Assert.Equal("the server closed the connection", failure.Message);
        await serving;
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_for_a_line_exits_130_at_once()
    {
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var run = EchoCommand.RunClientAsync(EchoCliTests.Settings(server.LocalEndPoint.Port), new PipedLineConsole(new BlockingLines(), output), stop.Token);
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
        var run = EchoCommand.RunClientAsync(EchoCliTests.Settings(port), console, CancellationToken.None);

        terminal.Type("hello\r");
        await Deadline.UntilAsync(() => terminal.Screen.Contains("From server: hello"), "the reply");
        terminal.Type("EXIT\r");
        Assert.Equal(0, await run.WaitAsync(Deadline.Default));
        console.Finish();

        Assert.Equal([$"connected to 127.0.0.1:{port}; type a line, EXIT to quit", "> hello", "From server: hello", "> EXIT"], terminal.Screen);
        Assert.Equal(0, terminal.Cursor.Column);
    }

    [Fact]
    public async Task Quiet_in_a_terminal_shows_no_banner()
    {
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        var terminal = new FakeTerminal(80);
        var console = new TerminalLineConsole(terminal, terminal, () => terminal.Width);
        var run = EchoCommand.RunClientAsync(EchoCliTests.Settings(server.LocalEndPoint.Port) with { Quiet = true }, console, CancellationToken.None);

        terminal.Type("hi\r");
        await Deadline.UntilAsync(() => terminal.Screen.Contains("From server: hi"), "the reply");
        terminal.Type("EXIT\r");
        Assert.Equal(0, await run.WaitAsync(Deadline.Default));
        console.Finish();

        Assert.Equal(["> hi", "From server: hi", "> EXIT"], terminal.Screen);
    }

    [Fact]
    public async Task Json_prints_one_object_per_reply_and_a_closing_server_as_a_json_error_through_the_process()
    {
        using var peer = new SeedStylePeer();
        var serving = peer.ServeAsync(async client =>
        {
            var buffer = new byte[SeedStylePeer.BufferSize];
            var n = await client.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None);
            await client.SendAsync(buffer.AsMemory(0, n), System.Net.Sockets.SocketFlags.None); // one reply, then it closes
        });

        // stdin stays open after the line: only the server's close can end the run.
        using var cli = System.Diagnostics.Process.Start(ChildProcess.StartInfo(CliProcess.Command("echo", "connect", $"127.0.0.1:{peer.Port}", "--json")))!;
        await cli.StandardInput.WriteLineAsync("hi");
        await cli.StandardInput.FlushAsync();
        var output = await cli.StandardOutput.ReadToEndAsync().WaitAsync(Deadline.Default);
        var error = await cli.StandardError.ReadToEndAsync().WaitAsync(Deadline.Default);
        await cli.WaitForExitAsync().WaitAsync(Deadline.Default);

        Assert.Equal(1, cli.ExitCode);
        var lines = output.Split('\n', 2);
        Assert.Equal("{\"reply\":\"hi\"}", lines[0]);
        using var failure = System.Text.Json.JsonDocument.Parse(lines[1]);
        Assert.Equal("the server closed the connection", failure.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, failure.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
        Assert.Equal("error: the server closed the connection", error.Trim());
        await serving.WaitAsync(Deadline.Default);
    }
}
