using System.CommandLine;

namespace Wirekit.Cli.Commands;

/// <summary>
/// `wirekit completion bash|zsh|pwsh` prints a script that makes the shell's Tab ask `wirekit complete` for the
/// words that may come next; System.CommandLine already knows them (commands, options, enum values).
/// </summary>
internal static class CompletionCommand
{
    private const string Shells = "bash, zsh or pwsh";

    public static Command Create(Func<Command> root)
    {
        var shell = new Argument<string>("shell") { Description = $"The shell to complete in: {Shells}." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion",
            "Print a Tab-completion script for your shell. Load it now with `source <(wirekit completion bash)` " +
            "(zsh: `source <(wirekit completion zsh)`; PowerShell: `wirekit completion pwsh | Out-String | Invoke-Expression`), " +
            "or add that line to ~/.bashrc, ~/.zshrc or $PROFILE.")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            Console.Out.Write(Script(parse.GetValue(shell)!));
            return 0;
        });

        var line = new Argument<string>("line") { Description = "The command line typed so far, starting with `wirekit`." };
        var position = new Option<int?>("--position") { Description = "Cursor position in the line (default: its end)." };
        var complete = new Command("complete", "Print the words that may come at the cursor, one per line (what the completion scripts call).")
        {
            line, position,
        };
        complete.Hidden = true;
        complete.SetAction(parse =>
        {
            foreach (var word in Candidates(root(), parse.GetValue(line)!, parse.GetValue(position)))
            {
                Console.Out.WriteLine(word);
            }

            return 0;
        });
        command.Subcommands.Add(complete);
        return command;
    }

    /// <summary>The completions at <paramref name="position"/> in <paramref name="line"/> ("wirekit file g" -> "get").</summary>
    internal static IEnumerable<string> Candidates(Command root, string line, int? position = null)
    {
        var at = Math.Clamp(position ?? line.Length, 0, line.Length);
        var typed = line[..at];
        // The line starts with the program's name however it was invoked; parse what follows it.
        var firstSpace = typed.IndexOf(' ', StringComparison.Ordinal);
        var rest = firstSpace < 0 ? string.Empty : typed[(firstSpace + 1)..];
        var parse = root.Parse(rest);
        return parse.GetCompletions(rest.Length).Select(c => c.Label).Where(l => !l.StartsWith('[')).Distinct();
    }

    private static string Script(string shell) => shell switch
    {
        "bash" => """
            _wirekit_complete() {
                local IFS=$'\n'
                COMPREPLY=( $(wirekit completion complete --position "$COMP_POINT" -- "$COMP_LINE" 2>/dev/null) )
            }
            complete -o default -F _wirekit_complete wirekit

            """,
        "zsh" => """
            _wirekit_complete() {
                local -a words
                words=("${(@f)$(wirekit completion complete --position "$CURSOR" -- "$BUFFER" 2>/dev/null)}")
                compadd -a words
            }
            compdef _wirekit_complete wirekit

            """,
        _ => """
            Register-ArgumentCompleter -Native -CommandName wirekit -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                wirekit completion complete --position $cursorPosition -- "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
    };
}
