using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Chat.Backplane;
using Wirekit.Engines;
using Wirekit.Metrics;

namespace Wirekit.Chat;

/// <summary>
/// The chat room as a hosted service: <c>ServerHost.Start(engine, options, new ChatService(chat, loggers))</c>.
/// While the server runs, an idle sweeper evicts silent members (<see cref="ChatOptions.IdleTimeout"/>); when it
/// stops, every member hears <c>-!- server shutting down</c> before the engine flushes and closes their sessions.
/// </summary>
public sealed partial class ChatService : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly BackplaneNode? _backplane;
    private Task _idleSweeper = Task.CompletedTask;

    /// <summary>
    /// A room with <paramref name="options"/> (defaults when null), logging to <paramref name="loggers"/>. With
    /// <see cref="ChatOptions.Backplane"/> set, its URL is read here (a <see cref="FormatException"/> says what is
    /// wrong with it); the connection is made once the server starts, and retried until it succeeds.
    /// </summary>
    public ChatService(ChatOptions? options = null, ILoggerFactory? loggers = null)
        : this(options ?? new ChatOptions(), loggers, transport: null)
    {
    }

    /// <summary>A room on the given transport (tests use an in-process one); null picks it from the backplane URL.</summary>
    internal ChatService(ChatOptions options, ILoggerFactory? loggers, IBackplaneTransport? transport)
        : this(new ChatRoom(options), (loggers ?? NullLoggerFactory.Instance).CreateLogger("Wirekit.Chat"))
    {
        if (options.Backplane is { } backplane)
        {
            if ((ChatBackplaneOptions.Problem(backplane) ?? (options.MaxMessageBytes > BackplaneEnvelope.MaxText ? $"with a backplane a message has at most {BackplaneEnvelope.MaxText} bytes" : null)) is { } why)
            {
                throw new FormatException(why);
            }

            _backplane = new BackplaneNode(Room, backplane, transport ?? BackplaneTransports.For(backplane), _logger);
        }
    }

    /// <summary>With a backplane: the URL it connects to (no password) and this server's node name; null without one.</summary>
    public string? BackplaneDescription => _backplane is { } node ? $"{node.Description}, node {node.NodeName}, room {Room.Options.Backplane!.Room}" : null;

    internal BackplaneNode? Backplane => _backplane;

    /// <summary>Members in the room right now (sessions that joined and have not left).</summary>
    public int Members => Room.Count;

    /// <summary>A room of one is no room: the chat needs an engine that serves many sessions at once.</summary>
    public const EngineFeatures EngineRequirements = EngineFeatures.ConcurrentSessions;

    EngineFeatures IServerService.Requires => EngineRequirements;

    void IServerService.OnServerStarted(IServer server)
    {
        Room.Metrics = ChatMetrics.For(server);
        if (_backplane is { } node)
        {
            node.Metrics = Room.Metrics;
            node.Start();
        }
        if (Room.Options.IdleTimeout is { } idle)
        {
            _idleSweeper = SweepIdleAsync(idle, _stopping.Token);
        }
    }

    void IServerService.OnServerStopping()
    {
        ChatLog.ShuttingDown(_logger, Room.Count);
        Room.AnnounceShutdown();
        _stopping.Cancel();
    }

    /// <summary>Ends the idle sweeper; the server calls this once it has stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _idleSweeper.ConfigureAwait(false);
        if (_backplane is { } node)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Evicts members silent for longer than <paramref name="idle"/>; checks four times per timeout, at most once a second.</summary>
    private async Task SweepIdleAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var member in Room.Snapshot())
                {
                    if (Stopwatch.GetElapsedTime(member.LastActivity, now) > idle)
                    {
                        ChatLog.IdleEvicted(_logger, member.Session.Id, member.Session.RemoteEndPoint, member.Name, idle);
                        member.Session.Close(DisconnectReason.Timeout);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
