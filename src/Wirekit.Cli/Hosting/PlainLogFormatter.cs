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
internal sealed class PlainLogFormatter : ConsoleFormatter
{
    public new const string Name = "wirekit-plain";

    private const string Yellow = "\e[33m";
    private const string Red = "\e[31m";
    private const string Reset = "\e[39m";

    private readonly IOptionsMonitor<ConsoleFormatterOptions> _options;
    private readonly bool _colour;

    public PlainLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options)
        : this(options, UsesColour(Console.IsErrorRedirected, Environment.GetEnvironmentVariable("NO_COLOR")))
    {
    }

    /// <summary>With the colour decision made by the caller (a test, or a host that knows its terminal).</summary>
    internal PlainLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options, bool colour)
        : base(Name)
    {
        _options = options;
        _colour = colour;
    }

    /// <summary>Colour only for a person: stderr is a terminal, and NO_COLOR (no-color.org) is unset or empty.</summary>
    public static bool UsesColour(bool errorRedirected, string? noColor) => !errorRedirected && string.IsNullOrEmpty(noColor);

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var timestampFormat = _options.CurrentValue.TimestampFormat ?? "HH:mm:ss.fff ";
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
        textWriter.Write(_colour && colour is not null ? $"{colour}{level}{Reset}" : level);
        textWriter.Write($": {logEntry.Category}[{logEntry.EventId.Id}] {message}");
        if (logEntry.Exception is { } exception)
        {
            // One line per event: the exception's type and message, not its stack (--verbose users read logs, not traces).
            textWriter.Write($" ({exception.GetType().Name}: {exception.Message})");
        }

        textWriter.WriteLine();
    }
}
