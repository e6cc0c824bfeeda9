using Microsoft.Extensions.Logging;

namespace Wirekit.Chat.Backplane;

/// <summary>Backplane log events; IDs 150-169, inside the chat's 100-199.</summary>
internal static partial class BackplaneLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "backplane {Url}: connected as node {Node}, room {Room}")]
    public static partial void Connected(ILogger logger, string url, string node, string room);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "backplane {Url} unavailable: {Reason}; only this server's members are served, retrying in {Delay} s")]
    public static partial void Unavailable(ILogger logger, string url, string reason, double delay);

    [LoggerMessage(EventId = 152, Level = LogLevel.Warning, Message = "backplane {Url} lost: {Reason}; only this server's members are served until it is back")]
    public static partial void Lost(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 153, Level = LogLevel.Information, Message = "backplane {Url} restored")]
    public static partial void Restored(ILogger logger, string url);

    [LoggerMessage(EventId = 154, Level = LogLevel.Warning, Message = "backplane: dropped a {Length}-byte message from the channel: {Problem}{Suppressed}")]
    public static partial void BadMessage(ILogger logger, int length, EnvelopeProblem problem, string suppressed);

    [LoggerMessage(EventId = 155, Level = LogLevel.Warning, Message = "backplane: publish queue full ({Limit} events); an event reached this server's members only{Suppressed}")]
    public static partial void QueueFull(ILogger logger, int limit, string suppressed);

    [LoggerMessage(EventId = 156, Level = LogLevel.Warning, Message = "backplane: this server fell behind the channel and missed events (slow consumer){Suppressed}")]
    public static partial void SlowConsumer(ILogger logger, string suppressed);

    [LoggerMessage(EventId = 157, Level = LogLevel.Information, Message = "backplane: node {Node} lost (no heartbeat for {Silence} s)")]
    public static partial void NodeLost(ILogger logger, string node, double silence);

    [LoggerMessage(EventId = 158, Level = LogLevel.Error, Message = "backplane: node name {Node} is already used in room {Room} by another server, which was there first; /who and node-loss notices cannot tell the two apart: restart this server with another --node-name")]
    public static partial void NameTaken(ILogger logger, string node, string room);

    [LoggerMessage(EventId = 159, Level = LogLevel.Warning, Message = "backplane: a newer server also calls itself node {Node} in room {Room}; it is told to choose another --node-name")]
    public static partial void NameTakenByNewer(ILogger logger, string node, string room);

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning, Message = "backplane {Url} answers again but cannot be used: {Reason}; only this server's members are served, retrying")]
    public static partial void StillUnusable(ILogger logger, string url, string reason);

    /// <summary>What a throttled line adds about the lines left out before it.</summary>
    public static string Suppressed(long count) => count > 0 ? $" ({count} more since the last such line)" : "";
}
