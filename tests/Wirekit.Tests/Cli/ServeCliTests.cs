using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>What the server commands print, line for line, as a person running them sees it.</summary>
public sealed class ServeCliTests
{
    private const int SigTerm = 15;

    [Fact]
    public async Task Serve_prints_the_four_lines_of_the_readme_and_nothing_else()
    {
        var lines = await RunUntilAsync("Ctrl+C stops.", "serve", "--echo-port", "0", "--chat-port", "0", "--file-port", "0");

        Assert.Equal(4, lines.Length);
        var echo = Port(lines[0], "echo");
        Assert.Equal($"echo server (async) listening on 127.0.0.1:{echo}  try: nc 127.0.0.1 {echo}", lines[0]);
        var chat = Port(lines[1], "chat");
        Assert.Equal($"chat server (async) listening on 127.0.0.1:{chat}  try: nc 127.0.0.1 {chat}", lines[1]);
        var file = Port(lines[2], "file");
        Assert.Matches($@"^file server \(async\) listening on 127\.0\.0\.1:{file}  try: wirekit file list 127\.0\.0\.1:{file}   \(serving /\S+\)$", lines[2]);
        Assert.Equal("Ctrl+C stops.", lines[3]);
    }

    [Theory]
    [InlineData("--echo-port", "serve")]
    [InlineData("--chat-port", "serve")]
    [InlineData("--file-port", "serve")]
    [InlineData("--port", "echo", "serve")]
    public async Task A_taken_port_is_named_by_the_option_that_sets_it(string option, params string[] command)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port.ToString();
        // The other servers of `serve` on free ports, so only the one under test meets the taken port.
        var others = command[0] == "serve"
            ? new[] { "--echo-port", "--chat-port", "--file-port" }.Where(other => other != option).SelectMany(other => new[] { other, "0" })
            : [];

        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. command, .. others, option, port]));

        Assert.Equal(1, exit);
        Assert.Equal($"error: port {port} is in use: pick another with {option}", error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("echo", "serve")]
    [InlineData("serve")]
    public async Task Announce_on_loopback_is_refused_with_the_reason_before_anything_listens(params string[] command)
    {
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. command, "--announce"]));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(
            "error: --announce: a server on 127.0.0.1 is reachable from this machine only, so no one who hears the announcement " +
            "could connect; bind an address the network can reach (--bind 0.0.0.0, or one of this host's addresses)",
            error.TrimEnd('\n'));
    }

    [Fact]
    public async Task Binding_every_address_warns_and_names_the_addresses_others_would_use()
    {
        var addresses = Regex.Matches(await ToolProcess.RunAsync("ip", "-4", "-o", "addr", "show", "scope", "global", "up"), @"inet (\S+)/")
            .Select(match => match.Groups[1].Value)
            .ToList();
        var lines = await RunUntilAsync("Ctrl+C stops.", "echo", "serve", "--port", "0", "--bind", "0.0.0.0");

        // stdout and stderr reach the test through two pipes, so only each stream's own order is known.
        var human = lines.Where(line => !line.StartsWith("warning:", StringComparison.Ordinal)).ToArray();
        var port = Port(human[0], "echo");
        Assert.Equal([$"echo server (async) listening on 0.0.0.0:{port}  try: nc 127.0.0.1 {port}", "Ctrl+C stops."], human);
        Assert.Equal(
            "warning: listening on 0.0.0.0, every address of this host: " +
            (addresses.Count > 0 ? $"other machines reach it at {string.Join(", ", addresses)}" : "this host has no network address right now, but any it gets will be served"),
            Assert.Single(lines.Except(human)));
    }

    [Fact]
    public async Task Quiet_leaves_only_warnings()
    {
        var lines = await RunUntilAsync("warning:", "chat", "serve", "--port", "0", "--bind", "0.0.0.0", "--quiet");

        Assert.StartsWith("warning: listening on 0.0.0.0, every address of this host: ", Assert.Single(lines));
    }

    [Fact]
    public async Task Verbose_logs_are_plain_lines_on_a_redirected_stderr()
    {
        using var cli = CliProcess.Start("echo", "serve", "--port", "0", "--verbose");
        var port = await cli.WaitForListeningPortAsync("echo");
        using (var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)))
        {
            Assert.Equal("hi"u8.ToArray(), await client.EchoAsync("hi"u8.ToArray()));
        }

        await Deadline.UntilAsync(() => cli.Output.Contains("session 1 connected"), "the session's log line");
        cli.SendSignal(SigTerm);
        Assert.Equal(0, await cli.WaitForExitAsync(Deadline.Default));

        Assert.DoesNotContain('\e', cli.Output);
        Assert.Contains(Lines(cli.Output), line => Regex.IsMatch(line, @"^\d\d:\d\d:\d\d\.\d{3} dbug: Wirekit\.Engines\.Async\[2\] session 1 connected from 127\.0\.0\.1:\d+$"));
    }

    /// <summary>Runs a server command until its output shows <paramref name="ready"/>, stops it with SIGTERM (exit 0), and returns every line it printed.</summary>
    private static async Task<string[]> RunUntilAsync(string ready, params string[] arguments)
    {
        using var cli = CliProcess.Start(arguments);
        await Deadline.UntilAsync(() => cli.Output.Contains(ready) || cli.HasExited, $"'{ready}' from {string.Join(' ', arguments)}");
        cli.SendSignal(SigTerm);
        Assert.Equal(0, await cli.WaitForExitAsync(Deadline.Default));
        return Lines(cli.Output);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static int Port(string line, string server)
    {
        var match = Regex.Match(line, $@"^{server} server \(\w+\) listening on [\d.]+:(\d+) ");
        return match.Success ? int.Parse(match.Groups[1].Value) : throw new Xunit.Sdk.XunitException($"not a listening line: {line}");
    }
}
