using System.Net;
using Microsoft.Extensions.Logging;

namespace Wirekit.Proxy;

/// <summary>The proxy's log events; stable IDs (600-) so logs can be filtered and counted.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "proxy listening on {EndPoint}, forwarding to {Target}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, string target);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "connection {Id} from {Client}: {End}; up {BytesUp} B, down {BytesDown} B{Dropped}; faults: {Faults}; {Seconds:0.###} s")]
    public static partial void Ended(ILogger logger, long id, IPEndPoint client, string end, long bytesUp, long bytesDown, string dropped, string faults, double seconds);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "refused {Client}: {Limit} connections open, the limit ({Suppressed} more refusals not logged before this one)")]
    public static partial void Refused(ILogger logger, IPEndPoint? client, int limit, long suppressed);

    [LoggerMessage(EventId = 603, Level = LogLevel.Debug, Message = "control: {Command} -> {Reply}")]
    public static partial void Control(ILogger logger, string command, string reply);

    public static void Ended(ILogger logger, ProxyConnectionReport report)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var dropped = report.DroppedUp + report.DroppedDown > 0 ? $", dropped up {report.DroppedUp} B, down {report.DroppedDown} B" : string.Empty;
        Ended(logger, report.Id, report.Client, Describe(report.End), report.BytesUp, report.BytesDown, dropped,
            report.Faults.Count == 0 ? "none" : string.Join(", ", report.Faults), report.Duration.TotalSeconds);
    }

    /// <summary>How a connection ended, in the words of the log line.</summary>
    public static string Describe(ProxyEnd end) => end switch
    {
        ProxyEnd.Closed => "closed",
        ProxyEnd.ClientReset => "client reset",
        ProxyEnd.TargetReset => "target reset",
        ProxyEnd.TargetUnreachable => "target unreachable",
        ProxyEnd.LimitData => "closed by limit-data",
        ProxyEnd.ResetFault => "reset by reset-after",
        ProxyEnd.Refused => "refused",
        _ => "proxy stopped",
    };
}
