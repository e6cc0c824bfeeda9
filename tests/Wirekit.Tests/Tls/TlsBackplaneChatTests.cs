using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Backplane;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Tls;

/// <summary>
/// Names from client certificates in a room across nodes: a node's claim of a certificate's name was ignored (only
/// default names were claimed through the channel), so a member named by its certificate was never welcomed on a
/// node with a backplane. Node a asks for certificates; node b, plaintext, has a member who must hear alice.
/// </summary>
public sealed class TlsBackplaneChatTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly InProcessPeer _peer = new();
    private readonly List<IServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _pki.Dispose();
    }

    [Fact]
    public async Task A_member_named_by_its_certificate_is_welcomed_and_heard_on_another_node()
    {
        var a = await StartNodeAsync("a", new ServerOptions { Tls = _pki.Server(mutual: true) }, nameFromCertificate: true);
        var b = await StartNodeAsync("b", new ServerOptions { Port = 0 }, nameFromCertificate: false);
        using var bob = await ChatTestClient.JoinAsAsync(b.LocalEndPoint, "bob");

        await using var alice = await TlsTestClient.ConnectAsync(a.LocalEndPoint, _pki.ServerCertificate, _pki.Alice);
        Assert.Equal(ChatWording.Welcome("alice"), await alice.ReadLineAsync());
        await bob.SkipUntilAsync("-!- alice joined");

        await alice.WriteLineAsync("hello from a");
        await bob.SkipUntilAsync("<alice> hello from a");
    }

    private async Task<IServer> StartNodeAsync(string name, ServerOptions server, bool nameFromCertificate)
    {
        var chat = _peer.CreateService(
            new ChatOptions
            {
                NameFromCertificate = nameFromCertificate,
                Backplane = new ChatBackplaneOptions { Url = _peer.Url, Room = BackplanePeer.Room, NodeName = name },
            },
            _logs);
        var host = ServerHost.Start(EngineKind.Async, server, chat, _logs);
        _servers.Add(host);
        await Deadline.UntilAsync(() => chat.Backplane!.Connected, $"node {name} on the in-process hub");
        return host;
    }
}
