using System.Net;
using Microsoft.Extensions.Logging;
using Wirekit.Chat;
using Wirekit.Engines;

namespace Wirekit.Tests.Chat;

/// <summary>A chat server for tests: the engine's server and the room's service, with the member count beside the endpoint.</summary>
internal sealed class ChatTestServer : IAsyncDisposable
{
    private readonly IServer _server;
    private readonly ChatService _chat;

    private ChatTestServer(IServer server, ChatService chat)
    {
        _server = server;
        _chat = chat;
    }

    public IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    public int ActiveSessions => _server.ActiveSessions;

    public int Members => _chat.Members;

    public static ChatTestServer Start(EngineKind engine, ServerOptions server, ChatOptions? chat = null, ILoggerFactory? loggers = null)
    {
        var service = new ChatService(chat, loggers);
        return new ChatTestServer(ServerHost.Start(engine, server, service, loggers), service);
    }

    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
