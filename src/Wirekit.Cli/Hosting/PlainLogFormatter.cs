using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `12:00:01.250 warn: Wirekit.Chat[103] message`: the simple console format without its painting. The built-in
/// formatter gives the level a background colour (black, unreadable on many themes) and decides about colour from
/// stdout while the logs go to stderr, so a redirected stderr filled with escape codes. Here: no background ever,
/// and a foreground colour for warnings and errors only when stderr is a terminal and NO_COLOR is unset.
/// </summary>
internal sealed class PlainLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "wirekit-plain";

    private const string Yellow = "\e[33m";
    private const string Red = "\e[31m";
    private const string Reset = "\e[39m";

    private static readonly bool Colour = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var timestampFormat = options.CurrentValue.TimestampFormat ?? "HH:mm:ss.fff ";
        textWriter.Write(DateTimeOffset.Now.ToString(timestampFormat, System.Globalization.CultureInfo.InvariantCulture));
        var (level, colour) = logEntry.LogLevel switch
        {
            LogLevel.Trace => ("trce", null),
            LogLevel.Debug => ("dbug", null),
            LogLevel.Information => ("info", null),
            LogLevel.Warning => ("warn", Yellow),
            LogLevel.Error => ("fail", Red),
            _ => ("crit", Red),
        };
        textWriter.Write(Colour && colour is not null ? $"{colour}{level}{Reset}" : level);
        textWriter.Write($": {logEntry.Category}[{logEntry.EventId.Id}] {message}");
        if (logEntry.Exception is { } exception)
        {
            // One line per event: the exception's type and message, not its stack (--verbose users read logs, not traces).
            textWriter.Write($" ({exception.GetType().Name}: {exception.Message})");
        }

        textWriter.WriteLine();
    }
}
