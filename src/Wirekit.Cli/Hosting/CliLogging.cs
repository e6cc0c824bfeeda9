using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Wirekit.Cli.Hosting;

/// <summary>Console logging for servers: one plain line per event with a timestamp, to stderr so stdout stays for data.</summary>
internal static class CliLogging
{
    /// <param name="verbose">--verbose: every session's events, and each receive's size (Trace), which shows how TCP splits and joins sends.</param>
    /// <param name="quiet">--quiet: warnings and errors only.</param>
    public static ILoggerFactory Create(bool verbose, bool quiet = false) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(quiet ? LogLevel.Warning : verbose ? LogLevel.Trace : LogLevel.Information);
        builder.AddFilter("Microsoft", LogLevel.Warning);
        builder.AddConsole(options =>
        {
            options.FormatterName = PlainLogFormatter.Name;
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        // Registered by hand: AddConsoleFormatter binds its options from configuration by reflection, which the
        // Native AOT build cannot do (and Wirekit reads no logging configuration).
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, PlainLogFormatter>());
    });
}
