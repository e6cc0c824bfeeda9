using System.CommandLine;

namespace Wirekit.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of a table." };

    public static Option<double> Timeout(double defaultSeconds = 5) => new("--timeout")
    {
        Description = "Give up after this many seconds.",
        DefaultValueFactory = _ => defaultSeconds,
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log more (debug level)." };
}
