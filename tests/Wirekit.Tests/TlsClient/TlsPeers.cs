using Wirekit.Chat;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;

namespace Wirekit.Tests.TlsClient;

/// <summary>
/// The TLS peers of the client tests, made once per test class: plaintext Wirekit servers (echo, chat, file) on
/// port 0 in this process, and stunnel in front of them with each kind of certificate a client must accept or
/// refuse. <see cref="Missing"/> says why the tests skip when openssl or stunnel is not installed.
/// </summary>
public sealed class TlsPeers : IAsyncLifetime
{
    public const string FileName = "data.bin";

    private readonly List<StunnelServer> _tunnels = [];
    private IServer? _echo;
    private IServer? _chat;

    /// <summary>Null when everything started; otherwise why the tests cannot run here.</summary>
    public string? Missing { get; private set; }

    internal TlsTestCertificates Certificates { get; private set; } = null!;

    internal FileServerScope Files { get; private set; } = null!;

    /// <summary>What <see cref="FileName"/> holds on the server.</summary>
    public byte[] FileData { get; private set; } = [];

    /// <summary>stunnel ports in front of the file server, by the certificate they present.</summary>
    public int GoodFile { get; private set; }

    public int RsaFile { get; private set; }

    public int ExpiredFile { get; private set; }

    public int SelfSignedFile { get; private set; }

    /// <summary>A certificate for `localhost` only, so a client connecting to 127.0.0.1 sees a name mismatch.</summary>
    public int LocalhostOnlyFile { get; private set; }

    /// <summary>Requires a client certificate issued by the test CA (stunnel verifyChain).</summary>
    public int MutualFile { get; private set; }

    public int GoodEcho { get; private set; }

    /// <summary>Echo behind stunnel requiring a client certificate issued by the test CA.</summary>
    public int MutualEcho { get; private set; }

    public int GoodChat { get; private set; }

    public int PlainEchoPort => _echo!.LocalEndPoint.Port;

    public string SelfSignedCertificate { get; private set; } = "";

    public (string Certificate, string Key) Client { get; private set; }

    public async Task InitializeAsync()
    {
        Missing = !TlsTestCertificates.OpensslAvailable ? "openssl is not installed"
            : StunnelServer.Binary is null ? "stunnel4 is not installed (test.sh installs it)"
            : null;
        if (Missing is not null)
        {
            return;
        }

        Certificates = await TlsTestCertificates.CreateAsync();
        string[] names = ["localhost", "127.0.0.1"];
        var good = await Certificates.IssueAsync("good", names);
        var rsa = await Certificates.IssueAsync("rsa", names, rsa: true);
        var expired = await Certificates.IssueAsync("expired", names, expired: true);
        var localhostOnly = await Certificates.IssueAsync("localhost", ["localhost"]);
        var self = await Certificates.SelfSignedAsync("self", names);
        SelfSignedCertificate = self.Certificate;
        Client = await Certificates.IssueAsync("client", ["alice"], client: true);

        Files = FileServerScope.Start();
        FileData = Files.WriteRandomFile(FileName, 3 * 1024 * 1024 + 17);
        _echo = ServerHost.Start(EngineKind.Async, new ServerOptions(), new EchoService());
        _chat = ServerHost.Start(EngineKind.Async, new ServerOptions(), new ChatService(new ChatOptions { JoinGrace = TimeSpan.Zero, RateLimit = 0, MaxRepeats = 0 }));

        var file = Files.EndPoint.Port;
        GoodFile = await TunnelAsync(file, good);
        RsaFile = await TunnelAsync(file, rsa);
        ExpiredFile = await TunnelAsync(file, expired);
        SelfSignedFile = await TunnelAsync(file, self);
        LocalhostOnlyFile = await TunnelAsync(file, localhostOnly);
        MutualFile = await TunnelAsync(file, good, Certificates.CaFile);
        GoodEcho = await TunnelAsync(_echo.LocalEndPoint.Port, good);
        MutualEcho = await TunnelAsync(_echo.LocalEndPoint.Port, good, Certificates.CaFile);
        GoodChat = await TunnelAsync(_chat.LocalEndPoint.Port, good);
    }

    public async Task DisposeAsync()
    {
        foreach (var tunnel in _tunnels)
        {
            await tunnel.DisposeAsync();
        }

        if (_echo is not null)
        {
            await _echo.DisposeAsync();
        }

        if (_chat is not null)
        {
            await _chat.DisposeAsync();
        }

        if (Missing is null)
        {
            await Files.DisposeAsync();
            Certificates.Dispose();
        }
    }

    private async Task<int> TunnelAsync(int backend, (string Certificate, string Key) presented, string? clientCa = null)
    {
        var tunnel = await StunnelServer.StartAsync(backend, presented.Certificate, presented.Key, clientCa);
        _tunnels.Add(tunnel);
        return tunnel.Port;
    }
}
