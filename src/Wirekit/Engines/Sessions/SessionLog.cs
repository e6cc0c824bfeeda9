using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wirekit.Engines.Sessions;

/// <summary>Engine log events; stable IDs so logs can be filtered and counted.</summary>
internal static partial class SessionLog
{
    // Debug: a host says where it listens in its own words (the CLI's "listening on ... try: ..."); this is the detail.
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Engine} server listening on {EndPoint}; up to {MaxSessions} sessions (open-file limit {FileLimit})")]
    public static partial void Listening(ILogger logger, EngineKind engine, IPEndPoint endPoint, int maxSessions, long? fileLimit);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "session {SessionId} connected from {Remote}")]
    public static partial void Connected(ILogger logger, long sessionId, IPEndPoint remote);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "session {SessionId} ({Remote}) closed: {Reason}")]
    public static partial void Closed(ILogger logger, long sessionId, IPEndPoint remote, DisconnectReason reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "session {SessionId} ({Remote}) closed: {Reason} ({Suppressed} more such closes not logged before this one)")]
    public static partial void ClosedAbnormally(ILogger logger, long sessionId, IPEndPoint remote, DisconnectReason reason, long suppressed);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "session {SessionId} ({Remote}) failed")]
    public static partial void Failed(ILogger logger, long sessionId, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Trace, Message = "session {SessionId} received {Bytes} bytes")]
    public static partial void Received(ILogger logger, long sessionId, int bytes);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "refused {Remote}: {Active} sessions open, the limit is {Limit} ({Suppressed} more refusals not logged before this one)")]
    public static partial void Refused(ILogger logger, IPEndPoint? remote, int active, int limit, long suppressed);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "accept failed: {Error}: {Message} ({Suppressed} more failures not logged before this one)")]
    public static partial void AcceptFailed(ILogger logger, SocketError error, string message, long suppressed);

    [LoggerMessage(EventId = 9, Message = "{Engine} server stopped; {Remaining} sessions had to be aborted")]
    private static partial void Stopped(ILogger logger, LogLevel level, EngineKind engine, int remaining);

    /// <summary>A clean stop is routine (Debug); sessions that had to be aborted are worth a line by default.</summary>
    public static void Stopped(ILogger logger, EngineKind engine, int remaining)
        => Stopped(logger, remaining > 0 ? LogLevel.Information : LogLevel.Debug, engine, remaining);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "service callback failed in session {SessionId}")]
    public static partial void ServiceFailed(ILogger logger, long sessionId, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "refused {Remote}: the process's descriptors are spoken for ({Active} sessions here, open-file limit {FileLimit}) ({Suppressed} more refusals not logged before this one)")]
    public static partial void RefusedForDescriptors(ILogger logger, IPEndPoint? remote, int active, long fileLimit, long suppressed);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "session {SessionId} ({Remote}) could not start its thread; closed")]
    public static partial void ThreadStartFailed(ILogger logger, long sessionId, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "sessions fell from {Peak} to {Active}: memory given back, working set {BeforeMiB} -> {AfterMiB} MiB in {Milliseconds:0} ms")]
    public static partial void MemoryTrimmed(ILogger logger, int peak, int active, long beforeMiB, long afterMiB, double milliseconds);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "session {SessionId} ({Remote}): TLS handshake on a plaintext port: start the server with --tls-cert (or connect without TLS); closed ({Suppressed} similar lines not logged before this one)")]
    public static partial void TlsOnPlaintextPort(ILogger logger, long sessionId, System.Net.IPEndPoint remote, long suppressed);
}
