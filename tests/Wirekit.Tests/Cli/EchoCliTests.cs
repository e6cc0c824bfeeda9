using System.Net;
using System.Runtime.InteropServices;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

public sealed partial class EchoCliTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    [Fact]
    public async Task Connect_sends_each_piped_line_prints_each_reply_and_exits_at_end_of_input()
    {
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        var output = new StringWriter();
        var exit = await EchoCommand.RunClientAsync(
            Settings(server.LocalEndPoint.Port) with { NoDelay = true, Bytewise = true },
            new PipedLineConsole(new StringReader("hello\n안녕하세요\n"), output), CancellationToken.None)
            .WaitAsync(Deadline.Default);

        Assert.Equal(0, exit);
        Assert.Equal("From server: hello\nFrom server: 안녕하세요\n", output.ToString().ReplaceLineEndings("\n"));
        await Deadline.UntilAsync(() => server.ActiveSessions == 0, "the client to close first");
    }

    [Fact]
    public async Task Connect_stops_at_EXIT_and_reports_an_unreachable_server_with_exit_code_1()
    {
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        var output = new StringWriter();
        var exit = await EchoCommand.RunClientAsync(
            Settings(server.LocalEndPoint.Port), new PipedLineConsole(new StringReader("one\nEXIT\ntwo\n"), output), CancellationToken.None);
        Assert.Equal(0, exit);
        Assert.Equal("From server: one\n", output.ToString().ReplaceLineEndings("\n"));

        var port = server.LocalEndPoint.Port;
        await server.StopAsync();
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => EchoCommand.RunClientAsync(Settings(port), new PipedLineConsole(new StringReader("x\n"), TextWriter.Null), CancellationToken.None));
        Assert.StartsWith($"cannot connect to 127.0.0.1:{port}: ", failure.Message);
    }

    [SkippableTheory]
    [InlineData("async", SigTerm)]
    [InlineData("threads", SigTerm)]
    [InlineData("select", SigInt)]
    [InlineData("iterative", SigTerm)]
    public async Task Serve_exits_0_on_a_signal_with_a_client_attached(string engine, int signal)
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "POSIX signals are sent with libc kill(2)");
        using var cli = CliProcess.Start("echo", "serve", "--engine", engine, "--port", "0", "--verbose");
        var port = await cli.WaitForListeningPortAsync("echo");
        using var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal("hi"u8.ToArray(), await client.EchoAsync("hi"u8.ToArray()));

        cli.SendSignal(signal);

        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await client.ReceiveEndAsync());
        Assert.Contains("server stopped", cli.Output);
    }

    internal static EchoConnectSettings Settings(int port) => new(new ServerAddress("127.0.0.1", port), NoDelay: false, Bytewise: false, Nul: false);
}
