using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Engines;

namespace Wirekit.Chat;

/// <summary>
/// A running chat server: the room, the engine carrying its sessions, and the idle sweeper. Stopping tells every
/// member <c>* server shutting down</c> before the engine flushes and closes their sessions.
/// </summary>
public sealed class ChatServer : IServer
{
    private readonly IServer _engine;
    private readonly ChatRoom _room;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _idleSweeper;
    private Task? _stopTask;

    private ChatServer(IServer engine, ChatRoom room, ILogger logger)
    {
        _engine = engine;
        _room = room;
        _logger = logger;
        _idleSweeper = room.Options.IdleTimeout is { } idle ? SweepIdleAsync(idle, _stopping.Token) : Task.CompletedTask;
    }

    public EngineKind Engine => _engine.Engine;

    public IPEndPoint LocalEndPoint => _engine.LocalEndPoint;

    public int ActiveSessions => _engine.ActiveSessions;

    /// <summary>Members in the room right now (sessions that joined and have not left).</summary>
    public int Members => _room.Count;

    /// <summary>Starts a chat server; <see cref="ServerOptions.MaxQueuedBytes"/> is each member's outgoing queue bound.</summary>
    public static ChatServer Start(EngineKind engine, ServerOptions server, ChatOptions? chat = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Wirekit.Chat");
        var room = new ChatRoom(chat ?? new ChatOptions());
        var service = new ChatService(room, logger);
        return new ChatServer(ServerHost.Start(engine, server, service, loggers), room, logger);
    }

    public Task StopAsync()
    {
        lock (_stopping)
        {
            return _stopTask ??= StopOnceAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopOnceAsync()
    {
        ChatLog.ShuttingDown(_logger, _room.Count);
        _room.AnnounceShutdown();
        _stopping.Cancel();
        await _idleSweeper.ConfigureAwait(false);
        // The engine closes every session with ServerShutdown, which flushes the announcement before the FIN.
        await _engine.StopAsync().ConfigureAwait(false);
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
                foreach (var member in _room.Snapshot())
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
