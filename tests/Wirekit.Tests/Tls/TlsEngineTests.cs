using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using System.Globalization;
using Wirekit.Chat;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Metrics;

namespace Wirekit.Tests.Tls;

/// <summary>TLS under the echo and chat services, written once and run on every engine that carries TLS.</summary>
public abstract class TlsEngineTests(EngineKind engine) : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly CapturingLoggerFactory _logs = new();

    protected EngineKind Engine { get; } = engine;

    private bool ServesOneAtATime => !EngineCapabilities.Carries(Engine, EngineFeatures.ConcurrentSessions);

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Echoes_a_message_written_in_two_records_split_at_every_byte()
    {
        await using var server = StartEcho();
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate);
        var message = Encoding.ASCII.GetBytes("split across two TLS records, everywhere");

        for (var split = 1; split < message.Length; split++)
        {
            await client.WriteAsync(message.AsMemory(0, split));
            await client.WriteAsync(message.AsMemory(split));
            Assert.Equal(message, await client.ReadExactlyAsync(message.Length));
        }
    }

    [Fact]
    public async Task Echoes_when_the_handshake_and_every_record_arrive_one_byte_per_segment()
    {
        await using var server = StartEcho();
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, trickle: true);
        var message = RandomNumberGenerator.GetBytes(300);

        await client.WriteAsync(message);

        Assert.Equal(message, await client.ReadExactlyAsync(message.Length));
    }

    [Fact]
    public async Task Echoes_a_1_MiB_payload_through_tls_byte_for_byte()
    {
        await using var server = StartEcho();
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate);
        var payload = RandomNumberGenerator.GetBytes(1 << 20);

        // Written while read: the server pauses a client that does not read, as on a plaintext session.
        var reading = client.ReadExactlyAsync(payload.Length);
        await client.WriteAsync(payload);

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(await reading));
    }

    [SkippableFact]
    public async Task Openssl_s_client_verifies_the_server_and_gets_its_line_echoed()
    {
        Skip.If(OpenSslClient.Binary is null, "openssl is not installed");
        await using var server = StartEcho();
        await using var openssl = OpenSslClient.Start(server.LocalEndPoint, _pki.ServerCertificatePath);

        await openssl.WriteLineAsync("hello through openssl");

        await openssl.WaitForLineAsync("hello through openssl");
    }

    [SkippableFact]
    public async Task A_chat_line_from_openssl_reaches_a_member_over_tls()
    {
        Skip.If(ServesOneAtATime, "a chat room needs several clients at once");
        Skip.If(OpenSslClient.Binary is null, "openssl is not installed");
        // A join grace longer than the test: openssl's first line, /nick, names its join (no timing involved).
        await using var server = StartChat(new ChatOptions { JoinGrace = TimeSpan.FromMinutes(1) });
        await using var watcher = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate);
        Assert.Equal(ChatWording.Welcome("user1"), await watcher.ReadLineAsync());
        await watcher.WriteLineAsync("/nick dave");
        Assert.Equal(ChatWording.Joined("dave"), await watcher.ReadLineAsync());
        await using var openssl = OpenSslClient.Start(server.LocalEndPoint, _pki.ServerCertificatePath);

        await openssl.WriteLineAsync("/nick carol");
        await openssl.WriteLineAsync("hello, room");

        Assert.Equal(ChatWording.Joined("carol"), await watcher.ReadLineAsync());
        Assert.Equal("<carol> hello, room", await watcher.ReadLineAsync());
    }

    [Fact]
    public async Task Mutual_tls_serves_a_client_whose_certificate_the_trusted_ca_issued()
    {
        await using var server = StartEcho(mutual: true);
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, _pki.Alice);

        await client.WriteLineAsync("it is alice");

        Assert.Equal("it is alice", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_with_one_log_line()
    {
        await using var server = StartEcho(mutual: true);
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate);

        Assert.True(await client.IsRefusedAsync());

        var line = await HandshakeFailureAsync();
        Assert.Matches(@"^TLS handshake with 127\.0\.0\.1:\d+ failed: the client sent no certificate, and this server requires one \(mutual TLS\)", line);
        await AssertStillServesAsync(server, mutual: true);
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_certificate_from_another_ca()
    {
        await using var server = StartEcho(mutual: true);
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, _pki.Stranger);

        Assert.True(await client.IsRefusedAsync());

        Assert.Matches(@"^TLS handshake with 127\.0\.0\.1:\d+ failed: client certificate 'CN=mallory' refused: ", await HandshakeFailureAsync());
        await AssertStillServesAsync(server, mutual: true);
    }

    [SkippableFact]
    public async Task A_chat_member_is_named_by_its_client_certificate_and_cannot_rename()
    {
        Skip.If(ServesOneAtATime, "a chat room needs several clients at once");
        await using var server = StartChat(new ChatOptions { JoinGrace = TimeSpan.Zero, NameFromCertificate = true }, mutual: true);
        await using var alice = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, _pki.Alice);

        Assert.Equal(ChatWording.Welcome("alice"), await alice.ReadLineAsync());
        Assert.Equal(ChatWording.Joined("alice"), await alice.ReadLineAsync());
        await alice.WriteLineAsync("/nick bob");
        Assert.Equal(ChatWording.NameFromCertificate, await alice.ReadLineAsync());
    }

    [Fact]
    public async Task A_plaintext_client_on_a_tls_port_is_closed_with_one_line_and_others_are_served()
    {
        await using var server = StartEcho();
        using var plain = await TestClient.ConnectAsync(server.LocalEndPoint);

        await plain.SendAsync("hello, plaintext\n"u8.ToArray());

        Assert.True(await plain.ReceiveEndAsync());
        var local = ((System.Net.IPEndPoint)plain.Socket.LocalEndPoint!).Port;
        Assert.Equal(
            $"TLS handshake with 127.0.0.1:{local} failed: not TLS (first byte 0x68, not 0x16: a plaintext client on a TLS port?) (0 more failed handshakes not logged before this one)",
            await HandshakeFailureAsync());
        await AssertStillServesAsync(server, mutual: false);
        Assert.Single(_logs.Lines, entry => entry.Event.Id == 700);
    }

    [Fact]
    public async Task Handshakes_and_failures_are_counted_by_reason()
    {
        using var collector = new MetricsCollector();
        await using var server = StartEcho(mutual: true);
        var echo = new[] { ("server", "echo"), ("port", server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture)) };
        await AssertStillServesAsync(server, mutual: true);
        await using (var stranger = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, _pki.Stranger))
        {
            Assert.True(await stranger.IsRefusedAsync());
        }

        using (var plain = await TestClient.ConnectAsync(server.LocalEndPoint))
        {
            await plain.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
            Assert.True(await plain.ReceiveEndAsync());
        }

        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_tls_handshake_failures_total", echo) >= 2, "2 failed handshakes counted");
        var scrape = Scrape.Of(collector);
        Assert.Equal(1, scrape.Value("wirekit_tls_handshakes_total", echo));
        Assert.Equal(1, scrape.Value("wirekit_tls_handshake_failures_total", [.. echo, ("reason", "client_certificate")]));
        Assert.Equal(1, scrape.Value("wirekit_tls_handshake_failures_total", [.. echo, ("reason", "not_tls")]));
    }

    [Fact]
    public async Task The_service_never_hears_of_a_session_whose_handshake_failed()
    {
        var service = new CountingEchoService();
        await using var server = ServerHost.Start(Engine, new ServerOptions { Tls = _pki.Server() }, service, _logs);
        using (var plain = await TestClient.ConnectAsync(server.LocalEndPoint))
        {
            await plain.SendAsync("plaintext\n"u8.ToArray());
            Assert.True(await plain.ReceiveEndAsync());
        }

        await AssertStillServesAsync(server, mutual: false);

        // The TLS client's session closes after the one that failed: once it has, both are accounted for.
        await Deadline.UntilAsync(() => Volatile.Read(ref service.Disconnected) == 1 && server.ActiveSessions == 0, "the served session to close");
        Assert.Equal((1, 1), (Volatile.Read(ref service.Connected), Volatile.Read(ref service.Disconnected)));
    }

    private IServer StartEcho(bool mutual = false)
        => ServerHost.Start(Engine, new ServerOptions { Tls = _pki.Server(mutual) }, new EchoService(), _logs);

    private IServer StartChat(ChatOptions chat, bool mutual = false)
        => ServerHost.Start(Engine, new ServerOptions { Tls = _pki.Server(mutual) }, new ChatService(chat, _logs), _logs);

    private async Task<string> HandshakeFailureAsync()
    {
        await Deadline.UntilAsync(() => _logs.Lines.Any(entry => entry.Event.Id == 700), "the handshake failure's log line");
        return _logs.Lines.First(entry => entry.Event.Id == 700).Message;
    }

    private async Task AssertStillServesAsync(IServer server, bool mutual)
    {
        await using var client = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, mutual ? _pki.Alice : null);
        await client.WriteLineAsync("still here");
        Assert.Equal("still here", await client.ReadLineAsync());
    }
}

/// <summary>Echo, counting the sessions the engine opened and closed for it.</summary>
internal sealed class CountingEchoService : ISessionService
{
    public int Connected;
    public int Disconnected;

    public void OnConnected(ISession session) => Interlocked.Increment(ref Connected);

    public void OnReceived(ISession session, ReadOnlySpan<byte> data) => session.Send(data);

    public void OnDisconnected(ISession session, DisconnectReason reason) => Interlocked.Increment(ref Disconnected);
}

public sealed class IterativeTlsTests() : TlsEngineTests(EngineKind.Iterative);

public sealed class ThreadsTlsTests() : TlsEngineTests(EngineKind.Threads);

public sealed class AsyncTlsTests() : TlsEngineTests(EngineKind.Async);
