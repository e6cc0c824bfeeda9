using System.CommandLine;

namespace Wirekit.Cli.Commands;

/// <summary>
/// Options several commands share, so they read and behave the same everywhere. Short flags mean one thing in
/// every command (README, "Options"): -b bind, -c clients, -e engine, -i include headers, -l listening,
/// -m messages, -n count (how many to send or open), -o output, -p port, -q quiet, -r rate, -s size,
/// -t seconds (how long to run), -v verbose. Nothing else gets a short flag.
/// </summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print JSON (camelCase keys, docs/json.md) instead of text; failures print {\"error\": {...}}." };

    /// <summary>A deadline for the whole operation: DNS queries, probes, one-shot exchanges.</summary>
    public static Option<double> Timeout(double defaultSeconds = 5) => Seconds("--timeout", defaultSeconds,
        "Give up when the whole operation has taken this many seconds.");

    /// <summary>A silence limit for transfers: a long download is fine as long as bytes keep arriving.</summary>
    public static Option<double> IdleTimeout(double defaultSeconds = 30) => Seconds("--idle-timeout", defaultSeconds,
        "Give up when the peer has sent nothing for this many seconds (a long transfer that keeps moving never times out).");

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log more: every connection, receive and decision (trace level)." };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print only results and errors: no banners, hints or progress (for scripts)." };

    /// <summary>A port this process binds: 0 asks the system for a free one.</summary>
    public static Option<int> ListenPort(int defaultPort, string description) => new("--port", "-p")
    {
        Description = description,
        DefaultValueFactory = _ => defaultPort,
        Validators = { result => RejectOutOfRange(result, 0) },
    };

    /// <summary>Adds the 0/1-65535 check to any port option (names other than --port, such as --echo-port).</summary>
    public static Option<int> Checked(this Option<int> option, int lowest = 1)
    {
        option.Validators.Add(result => RejectOutOfRange(result, lowest));
        return option;
    }

    private static void RejectOutOfRange(System.CommandLine.Parsing.OptionResult result, int lowest)
    {
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var port) && (port < lowest || port > 65535))
        {
            result.AddError($"{result.Option.Name}: {port} is not a port ({lowest}-65535{(lowest == 0 ? "; 0 picks a free one" : string.Empty)})");
        }
    }

    internal static Option<double> Seconds(string name, double defaultSeconds, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultSeconds,
        HelpName = "seconds",
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 1 && double.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var s) && (s < 0 || double.IsNaN(s)))
                {
                    result.AddError($"{name}: {result.Tokens[0].Value} is not a number of seconds (0 or more)");
                }
            },
        },
    };
}
