using System.Net;
using System.Text.Json;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;
using Wirekit.Udp;

namespace Wirekit.Tests.Udp;

/// <summary>`udp send|broadcast|listen` as a person and a script meet them: bytes as given, the options of the flag table, JSON lines.</summary>
public sealed class UdpCliTests
{
    [Fact]
    public async Task Piped_binary_stdin_arrives_byte_for_byte()
    {
        using var receiver = DatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var cli = string.Join(' ', CliProcess.Command("udp", "send", receiver.LocalEndPoint.ToString(), "--wait", "0").Select(w => $"'{w}'"));

        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, ["sh", "-c", $"printf '\\000\\377' | {cli}"]);

        Assert.True(exit == 0, error);
        Assert.Equal(new byte[] { 0x00, 0xff }, await ReceiveAsync(receiver));
    }

    [SkippableFact]
    public async Task At_a_terminal_each_typed_line_is_its_own_datagram()
    {
        Skip.If(ExternalServer.Find("script") is null, "script(1) (util-linux) gives the CLI a terminal; not installed");
        using var receiver = DatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var cli = string.Join(' ', CliProcess.Command("udp", "send", receiver.LocalEndPoint.ToString(), "--wait", "0").Select(w => $"'{w}'"));

        // script(1) puts the CLI's stdin on a pseudo-terminal and types what it reads: two lines, then Ctrl+D.
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            ["sh", "-c", $"printf 'one\\ntwo\\n\\004' | script -qec \"{cli}\" /dev/null"]);

        Assert.True(exit == 0, error);
        Assert.Contains($"sent 2 datagram(s) to {receiver.LocalEndPoint}", output);
        Assert.Equal("one"u8.ToArray(), await ReceiveAsync(receiver));
        Assert.Equal("two"u8.ToArray(), await ReceiveAsync(receiver));
    }

    [Fact]
    public async Task Nul_appends_the_byte_a_C_sender_of_strings_sends()
    {
        using var receiver = DatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var settings = new UdpCommand.SendSettings { Remote = receiver.LocalEndPoint, Text = "hi", Nul = true, Wait = 0 };

        Assert.Equal(0, await UdpCommand.RunSendAsync(settings, Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None));

        Assert.Equal("hi\0"u8.ToArray(), await ReceiveAsync(receiver));
    }

    [Fact]
    public async Task Broadcast_with_nul_sends_the_text_and_one_NUL_to_address_and_port()
    {
        using var receiver = DatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("udp", "broadcast", "--address", receiver.LocalEndPoint.ToString(), "--nul", "hello"));

        Assert.True(exit == 0, error);
        Assert.Equal($"broadcast 6 bytes to {receiver.LocalEndPoint}\n", output);
        Assert.Equal("hello\0"u8.ToArray(), await ReceiveAsync(receiver));
    }

    [Theory]
    [InlineData("udp send 127.0.0.1 0 x", "error: '0' is not a port (1-65535)")]
    [InlineData("udp send 127.0.0.1:0 x", "error: '127.0.0.1:0': port 0 cannot be connected to (1-65535)")]
    [InlineData("udp send 127.0.0.1:9 two words", "error: one text per datagram: quote \"two words\" to send it as one")]
    [InlineData("udp listen -n 1", "error: unrecognized option '-n'; did you mean -p? (see wirekit udp listen --help)")]
    [InlineData("udp listen --bind nowhere", "error: --bind: 'nowhere' is not an IP address")]
    [InlineData("udp broadcast --address 10.0.0.255:0 x", "error: '10.0.0.255:0': port 0 cannot be connected to (1-65535)")]
    public async Task A_destination_that_cannot_work_is_a_usage_error(string line, string expected)
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await CliRunner.RunAsync(CommandCatalog.Root(), line.Split(' '), output, errors, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(expected + "\n", errors.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(new[] { "127.0.0.1" }, "127.0.0.1:25000", null)]
    [InlineData(new[] { "127.0.0.1:9", "80" }, "127.0.0.1:9", "80")]
    [InlineData(new[] { "127.0.0.1", "9", "hi" }, "127.0.0.1:9", "hi")]
    [InlineData(new[] { "[::1]:9", "hi" }, "[::1]:9", "hi")]
    [InlineData(new[] { "localhost", "hi" }, "localhost:25000", "hi")]
    public void The_destination_is_host_port_then_the_text(string[] words, string destination, string? text)
    {
        var (address, rest) = UdpCommand.SplitDestination(words);

        Assert.Equal(destination, address.ToString());
        Assert.Equal(text, rest);
    }

    [Fact]
    public async Task Listen_json_prints_text_for_UTF8_and_hex_for_binary_one_object_per_line()
    {
        var output = new StringWriter();
        var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new UdpCommand.ListenSettings { Bind = new IPEndPoint(IPAddress.Loopback, 0), Json = true, Count = 2 };
        var listening = UdpCommand.RunListenAsync(settings, output, TextWriter.Null, bound.SetResult, CancellationToken.None);
        var remote = await bound.Task.WaitAsync(Deadline.Default);
        using var sender = DatagramSocket.Connect(remote);
        await sender.SendAsync("héllo"u8.ToArray(), CancellationToken.None);
        await sender.SendAsync(new byte[] { 0x00, 0xff }, CancellationToken.None);

        Assert.Equal(0, await listening.WaitAsync(Deadline.Default));

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal($"{{\"from\":\"{sender.LocalEndPoint}\",\"bytes\":6,\"truncated\":false,\"text\":\"héllo\"}}", lines[0]);
        Assert.Equal($"{{\"from\":\"{sender.LocalEndPoint}\",\"bytes\":2,\"truncated\":false,\"hex\":\"00ff\"}}", lines[1]);
    }

    [Fact]
    public async Task Listen_json_reports_a_numbered_run_as_a_tally_object()
    {
        var output = new StringWriter();
        var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(Deadline.Default);
        var settings = new UdpCommand.ListenSettings { Bind = new IPEndPoint(IPAddress.Loopback, 0), Json = true };
        var listening = UdpCommand.RunListenAsync(settings, output, TextWriter.Null, bound.SetResult, stop.Token);
        var remote = await bound.Task.WaitAsync(Deadline.Default);

        await UdpCommand.RunSendAsync(new UdpCommand.SendSettings { Remote = remote, Count = 3, Wait = 0 }, Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None);
        await Deadline.UntilAsync(() => output.ToString().Contains("tally"), "the tally line");
        await stop.CancelAsync();
        await listening.WaitAsync(Deadline.Default);

        using var json = JsonDocument.Parse(output.ToString().Trim());
        var tally = json.RootElement.GetProperty("tally");
        Assert.Equal(3, tally.GetProperty("expected").GetInt32());
        Assert.Equal(3, tally.GetProperty("received").GetInt32() + tally.GetProperty("lost").GetInt32());
    }

    [Fact]
    public async Task Stop_after_counts_printed_datagrams_not_the_numbered_ones_it_tallies()
    {
        var output = new StringWriter();
        var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new UdpCommand.ListenSettings { Bind = new IPEndPoint(IPAddress.Loopback, 0), Count = 1 };
        var listening = UdpCommand.RunListenAsync(settings, output, TextWriter.Null, bound.SetResult, CancellationToken.None);
        var remote = await bound.Task.WaitAsync(Deadline.Default);

        await UdpCommand.RunSendAsync(new UdpCommand.SendSettings { Remote = remote, Count = 3, Wait = 0 }, Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None);
        await UdpCommand.RunSendAsync(new UdpCommand.SendSettings { Remote = remote, Text = "the one", Wait = 0 }, Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, await listening.WaitAsync(Deadline.Default));
        Assert.Contains("7 bytes  the one", output.ToString());
    }

    private static async Task<byte[]> ReceiveAsync(DatagramSocket receiver)
    {
        var buffer = new byte[DatagramLimits.MaxIPv6Payload];
        using var limit = new CancellationTokenSource(Deadline.Default);
        var datagram = await receiver.ReceiveAsync(buffer, limit.Token);
        return buffer[..datagram.Length];
    }
}
