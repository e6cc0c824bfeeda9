using System.Net;
using System.Net.Sockets;
using Wirekit.Bench;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Bench;

public sealed class EchoLoadGeneratorTests
{
    /// <summary>
    /// The select engine: its loop is a thread of its own. These runs measure a window of a few hundred ms, and in
    /// the test host an engine on the thread pool can lose all of it: VSTest keeps two pool threads blocked for the
    /// whole run (its message loop, xunit's assembly runner), which on 2 cores is the pool's minimum, so pool work
    /// waits for the pool to add a thread (about 0.5 s). The load generator itself uses dedicated threads.
    /// </summary>
    internal const EngineKind Engine = EngineKind.Select;


    [Theory]
    [InlineData(1, 1, 32, 1)]      // ping-pong
    [InlineData(4, 100, 32, 2)]    // a small throughput run on two worker threads
    [InlineData(2, 3, 1000, 1)]    // messages larger than one another's offsets, so sends split them
    public async Task Every_byte_sent_comes_back_and_the_counts_agree(int clients, int inFlight, int size, int threads)
    {
        var echo = new CountingEchoService();
        await using var server = ServerHost.Start(Engine, new ServerOptions(), echo);
        var recorders = new List<RecordingLatencyRecorder>();
        var options = ShortRun(server.LocalEndPoint) with
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
        }).WaitAsync(Deadline.Default);

        Assert.Equal(0, result.Errors);
        Assert.Equal(0, result.FailedConnections);
        Assert.True(result.Drained);
        Assert.True(result.TotalBytesSent >= (long)clients * inFlight * size, "the first window alone is this much");
        Assert.Equal(result.TotalBytesSent, result.TotalBytesReceived);
        Assert.Equal(result.TotalBytesSent, echo.ReceivedBytes);
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
        await using var server = ServerHost.Start(Engine, new ServerOptions(), new HangUpService());

        var result = await EchoLoadGenerator.RunAsync(ShortRun(server.LocalEndPoint) with { Clients = 3 }).WaitAsync(Deadline.Default);

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
            ShortRun((IPEndPoint)closed.LocalEndPoint!) with { Clients = 2 }).WaitAsync(Deadline.Default);

        Assert.Equal(2, result.FailedConnections);
        Assert.Equal(0, result.Messages);
        Assert.False(result.Drained);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_early()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions(), new EchoService());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await EchoLoadGenerator.RunAsync(
            ShortRun(server.LocalEndPoint) with { Duration = TimeSpan.FromMinutes(5) },
            cancellationToken: cancel.Token).WaitAsync(Deadline.Default);

        Assert.Equal(0, result.Errors);
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Options_out_of_range_are_refused_in_the_words_of_the_library()
    {
        var options = ShortRun(new IPEndPoint(IPAddress.Loopback, 9)) with { MessageSize = 0 };

        Assert.Equal(new OptionProblem("MessageSize", "must be at least 1 byte"), options.Problem());
        Assert.Null((options with { MessageSize = 32 }).Problem());
        Assert.Equal(
            "BytesInFlight must stay within 1 GiB per connection",
            (options with { MessageSize = 1 << 20, MessagesInFlight = 2000 }).Problem()?.ToString());
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => EchoLoadGenerator.RunAsync(options));
        Assert.Equal("MessageSize", refused.ParamName);
        Assert.StartsWith("MessageSize must be at least 1 byte", refused.Message);
    }

    /// <summary>Closes every connection as soon as it is accepted, to exercise the generator's error path.</summary>
    private sealed class HangUpService : ISessionService
    {
        public void OnConnected(ISession session) => session.Close(DisconnectReason.ClosedByService);

        public void OnReceived(ISession session, ReadOnlySpan<byte> data)
        {
        }

        public void OnDisconnected(ISession session, DisconnectReason reason)
        {
        }
    }

    private static EchoLoadOptions ShortRun(IPEndPoint target) => new()
    {
        Target = target,
        Duration = TimeSpan.FromMilliseconds(400),
        Warmup = TimeSpan.FromMilliseconds(100),
        DrainTimeout = TimeSpan.FromSeconds(10),
    };
}
