using Microsoft.Extensions.Logging;

namespace Wirekit.Transfer;

/// <summary>The file server's log messages, with stable event IDs (4000-4099).</summary>
internal static partial class FileTransferLog
{
    // Debug: the CLI already says what it serves; the settings are for --verbose.
    [LoggerMessage(4000, LogLevel.Debug, "File server serving {Root}; classic clients allowed: {Classic}, token required: {TokenRequired}, hidden files listed: {ShowHidden}")]
    public static partial void Serving(ILogger logger, string root, bool classic, bool tokenRequired, bool showHidden);

    [LoggerMessage(4001, LogLevel.Information, "Session {SessionId}: sent {Name} bytes {Offset}+{Length} ({Kind})")]
    public static partial void Sent(ILogger logger, long sessionId, string name, long offset, long length, string kind);

    [LoggerMessage(4002, LogLevel.Warning, "Session {SessionId}: refused {Code}: {Reason}")]
    public static partial void Refused(ILogger logger, long sessionId, FileErrorCode code, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Session {SessionId}: the size of a frame with code {Code} is negative or beyond the 64 KiB bound; closing")]
    public static partial void TooLarge(ILogger logger, long sessionId, int code);

    [LoggerMessage(4004, LogLevel.Information, "Classic list leaves out {Name}: {Reason}")]
    public static partial void LeftOutOfClassicList(ILogger logger, string name, string reason);

    [LoggerMessage(4005, LogLevel.Debug, "Session {SessionId}: idle for {Timeout}; closing")]
    public static partial void Idle(ILogger logger, long sessionId, TimeSpan timeout);

    [LoggerMessage(4006, LogLevel.Debug, "Session {SessionId}: ended ({Reason})")]
    public static partial void Ended(ILogger logger, long sessionId, string reason);

    [LoggerMessage(4007, LogLevel.Error, "Session {SessionId}: unexpected failure")]
    public static partial void Failed(ILogger logger, long sessionId, Exception exception);

    [LoggerMessage(4009, LogLevel.Warning, "Session {SessionId}: the peer acknowledged nothing for {Timeout} while being sent a reply; connection reset (timeout)")]
    public static partial void SendStalled(ILogger logger, long sessionId, TimeSpan timeout);

    [LoggerMessage(4010, LogLevel.Warning, "Session {SessionId}: {Name} changed while being sent (the reply promised {Size} bytes, modified {Modified:o}); connection reset")]
    public static partial void FileChanged(ILogger logger, long sessionId, string name, long size, DateTime modified);

    [LoggerMessage(4011, LogLevel.Warning, "Session {SessionId}: {Suppressed} more refusals were not logged")]
    public static partial void RefusalsSuppressed(ILogger logger, long sessionId, long suppressed);

    [LoggerMessage(4012, LogLevel.Warning, "Session {SessionId}: {Errors} error replies; closing (the limit per connection)")]
    public static partial void TooManyErrors(ILogger logger, long sessionId, int errors);

    [LoggerMessage(4013, LogLevel.Warning, "Session {SessionId}: {Guesses} wrong tokens from {Address}; closing, and its next tokens wait {Blocked}")]
    public static partial void TokenGuesses(ILogger logger, long sessionId, int guesses, System.Net.IPAddress address, TimeSpan blocked);

    [LoggerMessage(4014, LogLevel.Warning, "Session {SessionId}: out of file descriptors ({Reason}); answered busy ({Suppressed} more since the last such line)")]
    public static partial void OutOfDescriptors(ILogger logger, long sessionId, string reason, long suppressed);

    [LoggerMessage(4015, LogLevel.Warning, "Session {SessionId}: {Reason}; answered IoError")]
    public static partial void ReadFailed(ILogger logger, long sessionId, string reason);

    [LoggerMessage(4008, LogLevel.Warning, "List truncated to {Written} of {Total} files: the reply would pass its 16 MiB bound")]
    public static partial void ListTruncated(ILogger logger, int written, int total);
}
