using System.Diagnostics;
using System.Text;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>
/// The interactive clients on a real pseudo-terminal: script(1) runs the CLI on a pty of 40 columns, the test types
/// into it as a person would (Ctrl+C is the byte 0x03, turned into SIGINT by the pty's line discipline), and what the
/// CLI drew is replayed on a <see cref="FakeTerminal"/> to read the screen a person saw.
/// </summary>
public sealed class TerminalPtyTests
{
    private const int Columns = 40;

    [SkippableFact]
    public async Task Echo_connect_on_a_terminal_shows_the_plain_address_echoes_and_stops_at_once_on_Ctrl_C_with_130()
    {
        Skip.If(ExternalServer.Find("script") is null, "script(1) (util-linux) gives the CLI a terminal; not installed");
        await using var server = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        var port = server.LocalEndPoint.Port;
        using var pty = PtySession.Start("echo", "connect", $"127.0.0.1:{port}");

        await pty.WaitForAsync($"connected to 127.0.0.1:{port}");
        await pty.TypeAsync("hello\r");
        await pty.WaitForAsync("From server: hello");
        await pty.TypeAsync("half typed");
        await pty.WaitForAsync("half typed");
        await pty.TypeAsync("\u0003"); // SIGINT also flushes keys not yet read: sent once the typed ones are drawn

        Assert.Equal(130, await pty.WaitForExitAsync());
        var screen = FakeTerminal.Showing(pty.Output, Columns);
        Assert.Equal([$"connected to 127.0.0.1:{port}; type a li", "  ne, EXIT to quit", "> hello", "From server: hello", "> half typed"], screen.Screen);
        Assert.Equal(0, screen.Cursor.Column); // the shell's prompt starts a fresh line
    }

    [SkippableFact]
    public async Task Chat_join_on_a_terminal_prints_arrivals_above_a_wrapped_typed_line_and_Ctrl_C_exits_130()
    {
        Skip.If(ExternalServer.Find("script") is null, "script(1) (util-linux) gives the CLI a terminal; not installed");
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions());
        using var bob = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob");
        using var pty = PtySession.Start("chat", "join", $"127.0.0.1:{server.LocalEndPoint.Port}", "--name", "alice");
        await bob.SkipUntilAsync("-!- alice joined");

        var typed = "a line much longer than the forty columns of this terminal, 한글 too";
        await pty.TypeAsync(typed);
        await pty.WaitForAsync("too");
        await bob.SendLineAsync("first");
        await pty.WaitForAsync("<bob> first");
        await bob.SendLineAsync("second");
        await pty.WaitForAsync("<bob> second");
        await pty.TypeAsync("\u0003");

        Assert.Equal(130, await pty.WaitForExitAsync());
        var rows = FakeTerminal.Showing(pty.Output, Columns).Screen;
        var afterWelcome = rows.SkipWhile(row => !row.StartsWith("-!- alice joined", StringComparison.Ordinal)).ToList();
        Assert.Equal(["-!- alice joined", "<bob> first", "<bob> second"], afterWelcome.Take(3));
        Assert.Equal(["> a line much longer than the forty col", "umns of this terminal, 한글 too"], afterWelcome.Skip(3));
        Assert.Single(rows, row => row.StartsWith("> ", StringComparison.Ordinal)); // no stale copy of the typed line
    }

    /// <summary>The CLI under script(1): keys written to its stdin, everything it drew kept as it came.</summary>
    private sealed class PtySession : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Task _reading;

        private PtySession(Process process)
        {
            _process = process;
            _reading = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int n;
                while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    lock (_output)
                    {
                        _output.Append(buffer, 0, n);
                    }
                }
            });
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static PtySession Start(params string[] arguments)
        {
            var command = $"stty cols {Columns} rows 24; exec " + string.Join(' ', CliProcess.Command(arguments).Select(a => $"'{a}'"));
            var process = Process.Start(ChildProcess.StartInfo(["script", "-qfec", command, "/dev/null"]))!;
            return new PtySession(process);
        }

        public async Task TypeAsync(string keys)
        {
            await _process.StandardInput.WriteAsync(keys);
            await _process.StandardInput.FlushAsync();
        }

        public Task WaitForAsync(string text) => Deadline.UntilAsync(() => Output.Contains(text, StringComparison.Ordinal) || _process.HasExited, $"'{text}' on the terminal");

        public async Task<int> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(Deadline.Default);
            await _reading.WaitAsync(Deadline.Default);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true); // our own child, by PID
            }

            _process.Dispose();
        }
    }
}
