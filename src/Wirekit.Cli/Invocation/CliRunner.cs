using System.CommandLine;
using System.CommandLine.Invocation;

namespace Wirekit.Cli.Invocation;

/// <summary>
/// Runs one command line: usage problems become one `error:` line and exit 2 before the command starts; a
/// <see cref="CommandFailure"/> or any exception a command lets escape becomes one `error:` line (or a JSON
/// error object under --json) and exit 1; Ctrl+C that ends a client early is exit 130. Never a stack trace
/// (set WIREKIT_DEBUG=1 to see one).
/// </summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(Command root, IReadOnlyList<string> args, TextWriter output, TextWriter errors, CancellationToken stopping)
    {
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (Exception e)
        {
            // A validator that throws is our bug, but it is still one line, not a crash.
            return Report(OneLine(e), ExitCodes.Usage, json: false, output, errors);
        }

        var command = parse.CommandResult.Command;
        // --help, --version and directives run as System.CommandLine defines them, whatever else the line holds.
        var special = parse.Action is { } action && action is not ParseErrorAction && !ReferenceEquals(action, command.Action);
        if (!special)
        {
            if (command.Action is null && command.Subcommands.Count > 0 && parse.UnmatchedTokens.Count == 0)
            {
                // `wirekit file`: a group without its verb. Its help lists the verbs; still a usage error for scripts.
                await root.Parse([.. args, "--help"]).InvokeAsync(Configuration(output, errors), stopping);
                return ExitCodes.Usage;
            }

            if (UsageCheck.FirstProblem(parse) is { } problem)
            {
                return Report(problem, ExitCodes.Usage, WantsJson(parse), output, errors);
            }
        }

        try
        {
            return await parse.InvokeAsync(Configuration(output, errors), stopping);
        }
        catch (CommandFailure e)
        {
            return Report(e.Message, e.ExitCode, WantsJson(parse), output, errors);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            if (Environment.GetEnvironmentVariable("WIREKIT_DEBUG") == "1")
            {
                await errors.WriteLineAsync(e.ToString());
            }

            return Report(OneLine(e), ExitCodes.Failure, WantsJson(parse), output, errors);
        }
    }

    /// <summary>The message of an exception a command did not expect, with its innermost cause ("see inner exception" says nothing).</summary>
    internal static string OneLine(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message = $"{message.Replace("See the inner exception for details.", string.Empty, StringComparison.Ordinal).TrimEnd(' ', '.')}: {inner.Message}";
            }
        }

        return message.ReplaceLineEndings(" ");
    }

    private static int Report(string message, int exitCode, bool json, TextWriter output, TextWriter errors)
    {
        if (json)
        {
            output.WriteLine(CliJson.Error(message, exitCode));
        }

        errors.WriteLine($"error: {message}");
        return exitCode;
    }

    /// <summary>--json given on this command line (looked up by token: a line with errors may not bind values).</summary>
    private static bool WantsJson(ParseResult parse)
        => parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--json") is { } json && parse.GetResult(json) is { Implicit: false };

    private static InvocationConfiguration Configuration(TextWriter output, TextWriter errors) => new()
    {
        // Servers finish their own graceful stop on Ctrl+C/SIGTERM; the runtime must not cut it short.
        ProcessTerminationTimeout = null,
        EnableDefaultExceptionHandler = false,
        Output = output,
        Error = errors,
    };
}
