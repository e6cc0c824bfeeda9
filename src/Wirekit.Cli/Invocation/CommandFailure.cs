namespace Wirekit.Cli.Invocation;

/// <summary>
/// Thrown by a command to end with one `error:` line (or, under --json, a JSON error object) and an exit code.
/// The runner prints it, so every command reports failures the same way without repeating the formatting.
/// </summary>
internal class CommandFailure(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>A command line that cannot work (exit 2), found before anything touches the network.</summary>
    public static CommandFailure Usage(string message) => new(message, ExitCodes.Usage);
}
