using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
    private Task _idleSweeper = Task.CompletedTask;

    /// <summary>A room with <paramref name="options"/> (defaults when null), logging to <paramref name="loggers"/>.</summary>
    public ChatService(ChatOptions? options = null, ILoggerFactory? loggers = null)
        : this(new ChatRoom(options ?? new ChatOptions()), (loggers ?? NullLoggerFactory.Instance).CreateLogger("Wirekit.Chat"))
    {
    }

    /// <summary>Members in the room right now (sessions that joined and have not left).</summary>
    public int Members => Room.Count;

    /// <summary>A room of one is no room: the chat needs an engine that serves many sessions at once.</summary>
    public const EngineFeatures EngineRequirements = EngineFeatures.ConcurrentSessions;

    EngineFeatures IServerService.Requires => EngineRequirements;

    void IServerService.OnServerStarted(IServer server)
    {
        Room.Metrics = ChatMetrics.For(server);
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
