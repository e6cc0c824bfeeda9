using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>The backplane as a person starting a server meets it: a server that can never carry the room is one error line, before anything listens.</summary>
public sealed class BackplaneCliTests
{
    /// <summary>
    /// A real nats-server without -js: the room's order lives in a JetStream stream, so the node would have retried
    /// forever, local-only, logging a line each time. Now `chat serve` and `serve` stop at once with exit 2.
    /// </summary>
    [SkippableTheory]
    [InlineData("chat", "serve", "-p", "0")]
    [InlineData("serve", "--echo-port", "0", "--chat-port", "0", "--file-port", "0")]
    public async Task A_nats_server_without_JetStream_is_one_error_line_and_exit_2(params string[] command)
    {
        var binary = ExternalServer.Find("nats-server");
        Skip.If(binary is null, "nats-server is not installed (test.sh installs it)");
        var port = ExternalServer.FreePort();
        await using var nats = ExternalServer.Start(binary!, ["-p", $"{port}", "-a", "127.0.0.1"]);
        await nats.WaitUntilReadyAsync(() => ExternalServer.AcceptsTcpAsync(port), Deadline.Default);

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. command, "--backplane", $"nats://127.0.0.1:{port}"]));

        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Equal(
            $"error: nats://127.0.0.1:{port} has no JetStream: start nats-server with -js (Wirekit keeps the room's total order in a JetStream stream)",
            error.TrimEnd('\n'));
    }
}
