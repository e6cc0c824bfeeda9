using Microsoft.Extensions.Logging;

namespace Wirekit.Cli.Hosting;

/// <summary>Console logging for servers: one line per event with a timestamp, to stderr so stdout stays for data.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder =>
    {
        // --verbose is a log level and nothing else: every session's events, and each receive's size (Trace), which
        // shows how TCP splits and joins sends.
        builder.SetMinimumLevel(verbose ? LogLevel.Trace : LogLevel.Information);
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.IncludeScopes = false;
        });
        builder.AddFilter("Microsoft", LogLevel.Warning);
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
