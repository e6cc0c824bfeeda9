using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wirekit.Bench;

/// <summary>The load generator's log events; IDs 4000-4099 belong to Bench.</summary>
internal static partial class BenchLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "connect to {Target} failed: {Error}")]
    public static partial void ConnectFailed(ILogger logger, EndPoint target, SocketError error);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "connect to {Target} timed out after {Timeout}")]
    public static partial void ConnectTimedOut(ILogger logger, EndPoint target, TimeSpan timeout);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "{Connected} of {Requested} connections open to {Target}; load starts ({Threads} worker threads)")]
    public static partial void LoadStarting(ILogger logger, int connected, int requested, EndPoint target, int threads);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "drain incomplete: {Outstanding} bytes sent were not echoed back before the drain timeout")]
    public static partial void DrainIncomplete(ILogger logger, long outstanding);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "echo check on connection {Index} failed: {Reason}")]
    public static partial void EchoCheckFailed(ILogger logger, int index, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "TLS handshake on connection {Index} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, int index, string reason);
}
