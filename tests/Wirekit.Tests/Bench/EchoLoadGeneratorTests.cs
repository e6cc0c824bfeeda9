using System.Net;
using System.Net.Sockets;
using Wirekit.Bench;

namespace Wirekit.Tests.Bench;

public sealed class EchoLoadGeneratorTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1, 32, 1)]      // ping-pong
    [InlineData(4, 100, 32, 2)]    // a small throughput run on two worker threads
    [InlineData(2, 3, 1000, 1)]    // messages larger than one another's offsets, so sends split them
    public async Task Every_byte_sent_comes_back_and_the_counts_agree(int clients, int inFlight, int size, int threads)
    {
        await using var server = new LoopbackEchoServer();
        var recorders = new List<RecordingLatencyRecorder>();
        var options = ShortRun(server.EndPoint) with
        {
            Clients = clients, MessagesInFlight = inFlight, MessageSize = size, Threads = threads,
        };

        var result = await EchoLoadGenerator.RunAsync(options, () =>
        {
            var recorder = new RecordingLatencyRecorder();
            lock (recorders)
            {
                recorders.Add(recorder);
            }

            return recorder;
        }).WaitAsync(RunLimit);

        Assert.Equal(0, result.Errors);
        Assert.Equal(0, result.FailedConnections);
        Assert.True(result.Drained);
        Assert.True(result.TotalBytesSent >= (long)clients * inFlight * size, "the first window alone is this much");
        Assert.Equal(result.TotalBytesSent, result.TotalBytesReceived);
        Assert.Equal(result.TotalBytesSent, server.EchoedBytes);
        Assert.InRange(result.Bytes, 1, result.TotalBytesReceived);
        Assert.Equal(result.Bytes / size, result.Messages);

        // One recorder per worker, each reset once when its warm-up ended; what they hold is the measured part.
        Assert.Equal(Math.Min(threads, clients), recorders.Count);
        Assert.All(recorders, r => Assert.Equal(1, r.Resets));
        Assert.Equal(result.LatencySamples, recorders.Sum(r => r.Messages));
        Assert.True(result.LatencySamples > 0);
        Assert.All(recorders.SelectMany(r => r.Samples), s => Assert.True(s.Nanoseconds >= 0 && s.Count > 0));
    }

    [Fact]
    public async Task A_server_that_hangs_up_counts_as_errors_and_the_run_still_ends()
    {
        await using var server = new LoopbackEchoServer(closeOnAccept: true);

        var result = await EchoLoadGenerator.RunAsync(ShortRun(server.EndPoint) with { Clients = 3 }).WaitAsync(RunLimit);

        Assert.Equal(0, result.FailedConnections);
        Assert.Equal(3, result.Errors);
        Assert.Equal(0, result.Bytes);
    }

    [Fact]
    public async Task Refused_connections_are_reported_as_failed()
    {
        // A bound socket that never listens: connects to its port are refused at once.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var result = await EchoLoadGenerator.RunAsync(
            ShortRun((IPEndPoint)closed.LocalEndPoint!) with { Clients = 2 }).WaitAsync(RunLimit);

        Assert.Equal(2, result.FailedConnections);
        Assert.Equal(0, result.Messages);
        Assert.False(result.Drained);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_early()
    {
        await using var server = new LoopbackEchoServer();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await EchoLoadGenerator.RunAsync(
            ShortRun(server.EndPoint) with { Duration = TimeSpan.FromMinutes(5) },
            cancellationToken: cancel.Token).WaitAsync(RunLimit);

        Assert.Equal(0, result.Errors);
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Options_out_of_range_are_refused_in_command_line_words()
    {
        var options = ShortRun(new IPEndPoint(IPAddress.Loopback, 9)) with { MessageSize = 0 };

        Assert.Contains("--size", options.Problem());
        Assert.Null((options with { MessageSize = 32 }).Problem());
        Assert.Contains("1 GiB", (options with { MessageSize = 1 << 20, MessagesInFlight = 2000 }).Problem());
        await Assert.ThrowsAsync<ArgumentException>(() => EchoLoadGenerator.RunAsync(options));
    }

    private static EchoLoadOptions ShortRun(IPEndPoint target) => new()
    {
        Target = target,
        Duration = TimeSpan.FromMilliseconds(400),
        Warmup = TimeSpan.FromMilliseconds(100),
        DrainTimeout = TimeSpan.FromSeconds(10),
    };
}
