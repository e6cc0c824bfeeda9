namespace Wirekit.Cli.Invocation;

/// <summary>
/// The exit codes every command uses, as README documents them (curl and the BSD sysexits tradition keep usage
/// apart from failure so a script can tell "I called it wrong" from "it did not work").
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation was tried and failed: refused, unreachable, timed out, bad reply, disk full.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown option, bad value, missing argument. Nothing touched the network.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C or SIGTERM stopped a client before it finished (128 + SIGINT, as shells report it). Servers exit 0: stopping is how they end.</summary>
    public const int Interrupted = 130;
}
