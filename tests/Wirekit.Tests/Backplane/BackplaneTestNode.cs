using System.Net;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Backplane;

/// <summary>One chat server in this process on the test's backplane, connected before it is handed out.</summary>
internal sealed class BackplaneTestNode : IAsyncDisposable
{
    private readonly IServer _server;

    private BackplaneTestNode(IServer server, ChatService chat, CapturingLoggerFactory logs)
    {
        _server = server;
        Chat = chat;
        Logs = logs;
    }

    public ChatService Chat { get; }

    public CapturingLoggerFactory Logs { get; }

    public IPEndPoint EndPoint => _server.LocalEndPoint;

    /// <summary>Flooding rules off: the tests send fast on purpose. <paramref name="transport"/>: the test's own, instead of the peer's; <paramref name="tls"/>: members connect with TLS.</summary>
    public static async Task<BackplaneTestNode> StartAsync(BackplanePeer peer, string name, TimeSpan? heartbeat = null, int publishQueueLimit = 10_000, TimeSpan? joinGrace = null, Wirekit.Chat.Backplane.IBackplaneTransport? transport = null, string? password = null, Wirekit.Tls.TlsServerOptions? tls = null)
    {
        var logs = new CapturingLoggerFactory();
        var options = new ChatOptions
        {
            RateLimit = 0,
            MaxRepeats = 0,
            JoinGrace = joinGrace ?? new ChatOptions().JoinGrace,
            Password = password,
            Backplane = new ChatBackplaneOptions
            {
                Url = peer.Url,
                Room = BackplanePeer.Room,
                NodeName = name,
                HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(5),
                PublishQueueLimit = publishQueueLimit,
            },
        };
        var chat = transport is null ? peer.CreateService(options, logs) : new ChatService(options, logs, transport);
        var server = ServerHost.Start(EngineKind.Async, new ServerOptions { Port = 0, Tls = tls }, chat, logs);
        var node = new BackplaneTestNode(server, chat, logs);
        await Deadline.UntilAsync(() => chat.Backplane!.Connected, $"node {name} to connect to {peer.Url}");
        return node;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
