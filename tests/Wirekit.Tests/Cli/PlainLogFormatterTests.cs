using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Wirekit.Cli.Hosting;

namespace Wirekit.Tests.Cli;

/// <summary>The servers' log lines: plain, one per event, colour only for a person and never as a background.</summary>
public sealed class PlainLogFormatterTests
{
    [Fact]
    public void A_line_is_time_level_category_event_and_message_without_escape_codes()
    {
        var line = Format(colour: false, LogLevel.Information, "Wirekit.Chat", 105, "chat server shutting down: telling 2 members");

        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} info: Wirekit\.Chat\[105\] chat server shutting down: telling 2 members" + Environment.NewLine + "$", line);
    }

    [Fact]
    public void On_a_terminal_a_warning_is_yellow_text_and_nothing_has_a_background()
    {
        var warning = Format(colour: true, LogLevel.Warning, "Wirekit.Engines.Async", 7, "refused");
        var info = Format(colour: true, LogLevel.Information, "Wirekit.Engines.Async", 9, "stopped");

        Assert.Contains(" \e[33mwarn\e[39m: Wirekit.Engines.Async[7] refused", warning);
        Assert.DoesNotContain('\e', info);
        Assert.DoesNotMatch(@"\e\[(4\d|10\d)m", warning); // SGR 40-47 and 100-107 are background colours
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(false, "", true)]
    [InlineData(false, "1", false)]
    [InlineData(true, null, false)]
    public void Colour_only_when_stderr_is_a_terminal_and_NO_COLOR_is_unset(bool errorRedirected, string? noColor, bool expected)
        => Assert.Equal(expected, PlainLogFormatter.UsesColour(errorRedirected, noColor));

    private static string Format(bool colour, LogLevel level, string category, int eventId, string message)
    {
        var formatter = new PlainLogFormatter(new FixedOptions(), colour);
        var output = new StringWriter();
        formatter.Write(new LogEntry<string>(level, category, new EventId(eventId), message, null, (state, _) => state), null, output);
        return output.ToString();
    }

    private sealed class FixedOptions : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue { get; } = new();

        public ConsoleFormatterOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
