using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Wirekit.Cli.Commands;
using Xunit.Abstractions;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Udp;

public sealed partial class UdpCommandTests(ITestOutputHelper log)
{

    [Fact]
    public async Task Listen_counts_a_thousand_numbered_datagrams_and_reports_any_loss()
    {
        var output = new SynchronizedWriter();
        var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(Deadline.Default);
        var settings = new UdpCommand.ListenSettings { Bind = new IPEndPoint(IPAddress.Loopback, 0) };
        var listening = UdpCommand.RunListenAsync(settings, output, TextWriter.Null, bound.SetResult, stop.Token);
        var remote = await bound.Task.WaitAsync(Deadline.Default);

        var sendSettings = new UdpCommand.SendSettings { Remote = remote, Text = "payload", Count = 1000, Wait = 0 };
        Assert.Equal(0, await UdpCommand.RunSendAsync(sendSettings, Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        // The listener reports a numbered run when it completes or after a second of silence.
        await WaitForAsync(() => Summary().IsMatch(output.Text));
        await stop.CancelAsync();
        Assert.Equal(0, await listening.WaitAsync(Deadline.Default));

        var summary = Summary().Match(output.Text);
        log.WriteLine(output.ToString());
        Assert.True(summary.Success, output.ToString());
        var received = int.Parse(summary.Groups["received"].Value);
        var lost = int.Parse(summary.Groups["lost"].Value);
        Assert.Equal(1000, int.Parse(summary.Groups["expected"].Value));
        Assert.Equal(1000, received + lost);
        Assert.True(received > 0);
    }

    [Fact]
    public async Task Listen_prints_text_and_marks_truncated_datagrams()
    {
        var output = new StringWriter();
        var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new UdpCommand.ListenSettings { Bind = new IPEndPoint(IPAddress.Loopback, 0), BufferSize = 8, Count = 2, Seconds = 10 };
        var listening = UdpCommand.RunListenAsync(settings, output, TextWriter.Null, bound.SetResult, CancellationToken.None);
        var remote = await bound.Task.WaitAsync(Deadline.Default);

        await UdpCommand.RunSendAsync(new UdpCommand.SendSettings { Remote = remote, Text = "short", Wait = 0 },
            Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None);
        await UdpCommand.RunSendAsync(new UdpCommand.SendSettings { Remote = remote, Text = "much longer than eight", Wait = 0 },
            Stream.Null, TextWriter.Null, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, await listening.WaitAsync(Deadline.Default));

        var lines = output.ToString();
        Assert.Contains("5 bytes  short", lines);
        Assert.Contains("8 bytes (truncated", lines);
    }

    [Fact]
    public async Task Send_refuses_an_oversized_datagram_with_a_clear_error()
    {
        var error = new StringWriter();
        var settings = new UdpCommand.SendSettings { Remote = new IPEndPoint(IPAddress.Loopback, 9), Text = "x", Size = 70_000 };

        var exit = await UdpCommand.RunSendAsync(settings, Stream.Null, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("70000 bytes refused", error.ToString());
    }

    [Fact]
    public async Task Send_to_a_closed_port_fails_with_port_unreachable()
    {
        var closed = ReservePort();
        var error = new StringWriter();
        var settings = new UdpCommand.SendSettings { Remote = closed, Text = "anyone?", Wait = 2 };

        var exit = await UdpCommand.RunSendAsync(settings, Stream.Null, TextWriter.Null, error, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.Equal(1, exit);
        Assert.Contains("port unreachable", error.ToString());
    }

    [Fact]
    public async Task Chat_peers_see_each_others_lines_and_EXIT_ends_both()
    {
        var (portA, portB) = (ReservePort(), ReservePort());
        var inputA = new LineFeed();
        var inputB = new LineFeed();
        var outputA = new SynchronizedWriter();
        var outputB = new SynchronizedWriter();
        var chatA = UdpCommand.RunChatAsync(portA, portB, inputA, outputA, TextWriter.Null, CancellationToken.None);
        var chatB = UdpCommand.RunChatAsync(portB, portA, inputB, outputB, TextWriter.Null, CancellationToken.None);
        await WaitForAsync(() => outputA.Text.Contains("chatting") && outputB.Text.Contains("chatting"));

        inputA.Write("hello from A");
        inputB.Write("hello from B");
        await WaitForAsync(() => outputB.Text.Contains("hello from A") && outputA.Text.Contains("hello from B"));
        inputA.Write("EXIT");
        inputB.Write("exit");

        Assert.Equal(0, await chatA.WaitAsync(Deadline.Default));
        Assert.Equal(0, await chatB.WaitAsync(Deadline.Default));
    }

    private static IPEndPoint ReservePort()
    {
        using var probe = Wirekit.Udp.DatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return probe.LocalEndPoint;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@"received (?<received>\d+) of (?<expected>\d+) numbered datagrams, (?<lost>\d+) lost")]
    private static partial Regex Summary();

    /// <summary>Standard input for a chat: lines the test feeds one at a time.</summary>
    private sealed class LineFeed : TextReader
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public void Write(string line) => _lines.Writer.TryWrite(line);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
            => await _lines.Reader.ReadAsync(cancellationToken);
    }

    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get { lock (_gate) { return ToString(); } }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate) { base.WriteLine(value); }
        }
    }
}
