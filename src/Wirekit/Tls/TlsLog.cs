using System.Net;
using Microsoft.Extensions.Logging;

namespace Wirekit.Tls;

/// <summary>The TLS layer's log events; IDs 700-709.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "TLS handshake with {Remote} failed: {Reason} ({Suppressed} more failed handshakes not logged before this one)")]
    public static partial void HandshakeFailed(ILogger logger, IPEndPoint remote, string reason, long suppressed);

    [LoggerMessage(EventId = 701, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}): {Protocol} with {Cipher}{Client}")]
    public static partial void HandshakeDone(ILogger logger, long sessionId, IPEndPoint remote, string protocol, string cipher, string client);
}
