using System.Net;
using Microsoft.Extensions.Logging;

namespace Wirekit.Engines.Sessions;

/// <summary>Access control and handshake-deadline events: one line per peer address per minute (<see cref="Access.AddressLogThrottle"/>).</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "refused {Remote}: its address is not allowed here (--allow/--deny) ({Suppressed} more refusals of this address not logged before this one)")]
    public static partial void Denied(ILogger logger, IPAddress remote, long suppressed);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "refused {Remote}: it already holds {Limit} connections, its share (--max-per-ip) ({Suppressed} more refusals of this address not logged before this one)")]
    public static partial void TooManyFromAddress(ILogger logger, IPAddress remote, int limit, long suppressed);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "closed {Remote}: no complete handshake or first request within {Seconds} s (--handshake-timeout) ({Suppressed} more such closes of this address not logged before this one)")]
    public static partial void HandshakeTimedOut(ILogger logger, IPAddress remote, double seconds, long suppressed);
}
