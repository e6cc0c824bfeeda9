using System.Net;
using Wirekit.Bench;
using Wirekit.Bench.Chat;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tls;

namespace Wirekit.Tests.TlsClient;

/// <summary>
/// The benches over TLS through stunnel: every connection handshakes before the load, every byte sent comes back,
/// and the counts agree as they do in plaintext. Performance itself is measured by bench/tls.sh, never asserted.
/// </summary>
public sealed class TlsBenchTests(TlsPeers peers) : IClassFixture<TlsPeers>
{
    private TlsHandshake Handshake
    {
        get
        {
            var tls = ClientTls.Load(new ClientTlsOptions { CaFile = peers.Certificates.CaFile, AllowResumption = false });
            return (socket, ct) => tls.AuthenticateAsync(socket, "127.0.0.1", ct);
        }
    }

    [SkippableTheory]
    [InlineData(1, 1)]    // ping-pong
    [InlineData(4, 100)]  // a small throughput run
    public async Task Echo_load_over_TLS_gets_every_byte_back(int clients, int inFlight)
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var options = new EchoLoadOptions
        {
            Target = new IPEndPoint(IPAddress.Loopback, peers.GoodEcho),
            Clients = clients,
            MessagesInFlight = inFlight,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromMilliseconds(200),
            DrainTimeout = TimeSpan.FromSeconds(10),
            Tls = Handshake,
        };

        var result = await EchoLoadGenerator.RunAsync(options).WaitAsync(Deadline.Default);

        Assert.Equal(0, result.FailedConnections);
        Assert.Equal(0, result.Errors);
        Assert.True(result.Drained);
        Assert.True(result.HandshakeTime > TimeSpan.Zero);
        Assert.True(result.TotalBytesSent >= (long)clients * inFlight * options.MessageSize, "the first window alone is this much");
        Assert.Equal(result.TotalBytesSent, result.TotalBytesReceived);
        Assert.InRange(result.Bytes, 1, result.TotalBytesReceived);
    }

    [SkippableFact]
    public async Task A_handshake_the_client_refuses_is_a_failed_connection_not_a_crash()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var options = new EchoLoadOptions
        {
            Target = new IPEndPoint(IPAddress.Loopback, peers.SelfSignedFile),
            Clients = 2,
            Duration = TimeSpan.FromMilliseconds(200),
            Tls = Handshake,
        };

        var result = await EchoLoadGenerator.RunAsync(options).WaitAsync(Deadline.Default);

        Assert.Equal(2, result.FailedConnections);
        Assert.Equal(0, result.Messages);
    }

    [SkippableFact]
    public async Task Idle_connections_over_TLS_all_handshake_and_still_echo()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var connections = new IdleConnectionOptions { Target = new IPEndPoint(IPAddress.Loopback, peers.GoodEcho), Count = 20, Tls = Handshake };

        var result = await ConnectionCycles.RunAsync(connections, new ConnectionCycleOptions()).WaitAsync(Deadline.Default);

        var cycle = Assert.Single(result.Cycles);
        Assert.Equal(20, cycle.Opened);
        Assert.Equal(20, cycle.Held);
        Assert.True(cycle.OpenedPerSecond > 0);
    }

    [SkippableFact]
    public async Task Chat_fan_out_over_TLS_delivers_every_message_to_every_member()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var options = new ChatBenchOptions { Clients = 3, Senders = 1, Rate = 100, Duration = TimeSpan.FromMilliseconds(300), Tls = Handshake };

        var result = await ChatBench.RunAsync(new IPEndPoint(IPAddress.Loopback, peers.GoodChat), options, _ => _ => { }, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.Equal(0, result.ClientsLost);
        Assert.True(result.Sent > 0);
        Assert.Equal(result.Expected(3), result.Delivered);
    }
}
