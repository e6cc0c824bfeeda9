using System.Net;
using Microsoft.Extensions.Logging;
using Wirekit.Logging;

namespace Wirekit.Chat;

/// <summary>Chat log events; IDs 100-199 so they never clash with the engines' (1-99).</summary>
internal static partial class ChatLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) joined as {Name}")]
    public static partial void Joined(ILogger logger, long sessionId, IPEndPoint remote, string name);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "refused session {SessionId} ({Remote}): {Problem} ({Suppressed} more refusals of this address not logged before this one)")]
    public static partial void PasswordRefused(ILogger logger, long sessionId, IPEndPoint remote, string problem, long suppressed);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) {Name} left: {Reason}")]
    public static partial void Left(ILogger logger, long sessionId, IPEndPoint remote, string name, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "session {SessionId} renamed {Old} to {New}")]
    public static partial void Renamed(ILogger logger, long sessionId, string old, string @new);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "session {SessionId} ({Remote}) {Name} disconnected for flooding")]
    public static partial void Flooding(ILogger logger, long sessionId, IPEndPoint remote, string name);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) {Name} evicted: idle longer than {IdleTimeout}")]
    public static partial void IdleEvicted(ILogger logger, long sessionId, IPEndPoint remote, string name, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 105, Message = "chat server shutting down: telling {Members} members")]
    private static partial void ShuttingDown(ILogger logger, LogLevel level, int members);

    /// <summary>Worth a line by default only when someone was there to be told.</summary>
    public static void ShuttingDown(ILogger logger, int members)
        => ShuttingDown(logger, members > 0 ? LogLevel.Information : LogLevel.Debug, members);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "session {SessionId} ({Remote}) {Name} sent a message longer than {MaxBytes} bytes; dropped")]
    public static partial void MessageTooLong(ILogger logger, long sessionId, IPEndPoint remote, string name, int maxBytes);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "session {SessionId} ({Remote}) {Name} warned for flooding")]
    public static partial void FloodWarned(ILogger logger, long sessionId, IPEndPoint remote, string name);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) {Name} refused the name {Requested}: {Problem}")]
    public static partial void NameRefused(ILogger logger, long sessionId, IPEndPoint remote, string name, string requested, string problem);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "session {SessionId} ({Remote}): {Count} more complaints about its input were not logged")]
    public static partial void ComplaintsSuppressed(ILogger logger, long sessionId, IPEndPoint remote, long count);

    /// <summary>
    /// Whether a complaint about <paramref name="member"/>'s input (events 106-108) may be written at
    /// <paramref name="level"/>: through the member's <see cref="LogThrottle"/>, so one session that sends bad input
    /// as fast as it can costs a few lines, each burst after a quiet spell preceded by the count left out.
    /// </summary>
    public static bool MayComplain(ILogger logger, ChatMember member, LogLevel level)
    {
        if (!logger.IsEnabled(level) || !member.Complaints.TryPass(out var suppressed))
        {
            return false;
        }

        if (suppressed > 0)
        {
            ComplaintsSuppressed(logger, member.Session.Id, member.Session.RemoteEndPoint, suppressed);
        }

        return true;
    }

    /// <summary>At the end of a session: the complaints still held back, so the log's count is complete.</summary>
    public static void ComplaintsLeftOut(ILogger logger, ChatMember member)
    {
        if (member.ComplaintsPending > 0)
        {
            ComplaintsSuppressed(logger, member.Session.Id, member.Session.RemoteEndPoint, member.ComplaintsPending);
        }
    }
}
