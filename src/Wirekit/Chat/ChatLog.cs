using System.Net;
using Microsoft.Extensions.Logging;

namespace Wirekit.Chat;

/// <summary>Chat log events; IDs 100-199 so they never clash with the engines' (1-99).</summary>
internal static partial class ChatLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) joined as {Name}")]
    public static partial void Joined(ILogger logger, long sessionId, IPEndPoint remote, string name);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) {Name} left: {Reason}")]
    public static partial void Left(ILogger logger, long sessionId, IPEndPoint remote, string name, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "session {SessionId} renamed {Old} to {New}")]
    public static partial void Renamed(ILogger logger, long sessionId, string old, string @new);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "session {SessionId} ({Remote}) {Name} disconnected for flooding")]
    public static partial void Flooding(ILogger logger, long sessionId, IPEndPoint remote, string name);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) {Name} evicted: idle longer than {IdleTimeout}")]
    public static partial void IdleEvicted(ILogger logger, long sessionId, IPEndPoint remote, string name, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "chat server shutting down: telling {Members} members")]
    public static partial void ShuttingDown(ILogger logger, int members);
}
