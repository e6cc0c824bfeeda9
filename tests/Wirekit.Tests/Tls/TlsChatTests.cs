using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Tls;

/// <summary>
/// A chat room under TLS with the room's own rules on top: names from client certificates (a CN already here is
/// refused), a password, and ncat --ssl as a member beside a TLS client. Run on every engine that carries TLS and
/// serves several sessions at once.
/// </summary>
public abstract class TlsChatTests(EngineKind engine) : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly CapturingLoggerFactory _logs = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task A_second_member_whose_certificate_has_a_name_already_here_is_refused_and_closed()
    {
        await using var server = StartChat(new ChatOptions { JoinGrace = TimeSpan.Zero, NameFromCertificate = true }, mutual: true);
        await using var alice = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, _pki.Alice);
        Assert.Equal(ChatWording.Welcome("alice"), await alice.ReadLineAsync());
        Assert.Equal(ChatWording.Joined("alice"), await alice.ReadLineAsync());

        await using (var twin = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate, _pki.Alice))
        {
            // It cannot rename (/nick is off): the room says why and closes it, before any welcome.
            Assert.Equal("! error: the name alice is taken", await twin.ReadLineAsync());
            Assert.Null(await twin.ReadLineAsync());
        }

        await alice.WriteLineAsync("/who");
        Assert.Equal("-!- 1 online: alice", await alice.ReadLineAsync());
        await alice.WriteLineAsync("still alice");
        Assert.Equal("<alice> still alice", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task A_password_works_under_tls_and_a_wrong_one_is_closed_with_its_line()
    {
        await using var server = StartChat(new ChatOptions { JoinGrace = TimeSpan.Zero, Password = "tls room" });
        await using (var wrong = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate))
        {
            await wrong.WriteLineAsync("/pass plain room");
            Assert.Equal("! error: wrong password", await wrong.ReadLineAsync());
            Assert.Null(await wrong.ReadLineAsync());
        }

        await using var member = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate);
        await member.WriteLineAsync("/pass tls room");
        Assert.Equal(ChatWording.Welcome("user2"), await member.ReadLineAsync());
        Assert.Equal(ChatWording.Joined("user2"), await member.ReadLineAsync());
    }

    [SkippableFact]
    public async Task An_ncat_ssl_member_and_a_tls_client_hear_each_other_byte_for_byte()
    {
        var ncat = ExternalServer.Find("ncat");
        Skip.If(ncat is null, "ncat is not installed (test.sh installs it)");
        await using var server = StartChat(new ChatOptions { JoinGrace = TimeSpan.Zero });
        await using var tls = await TlsTestClient.ConnectAsync(server.LocalEndPoint, _pki.ServerCertificate);
        Assert.Equal(ChatWording.Welcome("user1"), await tls.ReadLineAsync());
        Assert.Equal(ChatWording.Joined("user1"), await tls.ReadLineAsync());

        // ncat verifies the server too: against the certificate itself, for the name it was made for. Its stdout goes
        // to a file, so what it received is compared as bytes, not as lines read back.
        var received = Path.Combine(_pki.Folder, "ncat.out");
        await using var member = ChildProcess.Start(["sh", "-c", $"exec '{ncat}' -4 --ssl --ssl-verify --ssl-trustfile '{_pki.ServerCertificatePath}' localhost {server.LocalEndPoint.Port} > '{received}'"]);
        Assert.Equal(ChatWording.Joined("user2"), await tls.ReadLineAsync());
        await member.Input.WriteAsync("gr\u00fc\u00dfe from ncat\n");
        await member.Input.FlushAsync();
        Assert.Equal("<user2> gr\u00fc\u00dfe from ncat", await tls.ReadLineAsync());

        await tls.WriteLineAsync("caf\u00e9 from the tls client");
        Assert.Equal("<user1> caf\u00e9 from the tls client", await tls.ReadLineAsync());
        const string Expected = "-!- welcome, you are user2; /help lists the commands\n-!- user2 joined\n<user2> gr\u00fc\u00dfe from ncat\n<user1> caf\u00e9 from the tls client\n";
        var expected = System.Text.Encoding.UTF8.GetBytes(Expected);
        await Deadline.UntilAsync(() => new FileInfo(received).Length >= expected.Length || member.HasExited, "ncat to print both lines");
        Assert.Equal(expected, await File.ReadAllBytesAsync(received));
    }

    private IServer StartChat(ChatOptions chat, bool mutual = false)
        => ServerHost.Start(engine, new ServerOptions { Tls = _pki.Server(mutual) }, new ChatService(chat, _logs), _logs);
}

public sealed class ThreadsTlsChatTests() : TlsChatTests(EngineKind.Threads);

public sealed class AsyncTlsChatTests() : TlsChatTests(EngineKind.Async);
