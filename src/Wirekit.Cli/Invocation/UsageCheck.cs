using System.CommandLine;
using System.CommandLine.Parsing;

namespace Wirekit.Cli.Invocation;

/// <summary>
/// Finds what is wrong with a command line before the command runs, as one sentence a person can act on.
/// System.CommandLine takes `--timout` for a host name when a positional argument is free, and reports value
/// errors with .NET type names; this turns both into usage errors worded for people.
/// </summary>
internal static class UsageCheck
{
    /// <summary>The first problem with <paramref name="parse"/>, or null when the command may run.</summary>
    public static string? FirstProblem(ParseResult parse)
    {
        if (StrayOption(parse) is { } stray)
        {
            return stray;
        }

        return parse.Errors.Count == 0 ? null : Describe(parse.Errors[0], parse);
    }

    /// <summary>A word that looks like an option (`-x`, `--word`) but landed in a positional argument or was not matched.</summary>
    private static string? StrayOption(ParseResult parse)
    {
        var afterDoubleDash = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        var seenDoubleDash = false;
        foreach (var token in parse.Tokens)
        {
            if (seenDoubleDash)
            {
                afterDoubleDash.Add(token);
            }

            seenDoubleDash |= token.Type == TokenType.DoubleDash;
        }

        var positional = parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Where(t => !afterDoubleDash.Contains(t)).Select(t => t.Value);
        var unmatched = parse.UnmatchedTokens;
        foreach (var word in positional.Concat(unmatched))
        {
            if (LooksLikeOption(word))
            {
                var name = word.Split('=', 2)[0];
                var guess = Suggestion.Closest(name, OptionNames(parse.CommandResult));
                var hint = guess is null ? string.Empty : $"; did you mean {guess}?";
                return $"unrecognized option '{name}'{hint} (see {CommandPath(parse.CommandResult)} --help)";
            }
        }

        return null;
    }

    private static bool LooksLikeOption(string word)
        => word.Length >= 2 && word[0] == '-' && (char.IsLetter(word[1]) || (word.Length >= 3 && word[1] == '-' && char.IsLetter(word[2])));

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        foreach (var option in result.Command.Options.Concat(Ancestors(result).Skip(1).SelectMany(c => c.Options).Where(o => o.Recursive)))
        {
            yield return option.Name;
            foreach (var alias in option.Aliases)
            {
                yield return alias;
            }
        }
    }

    private static string Describe(ParseError error, ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var see = $"(see {CommandPath(parse.CommandResult)} --help)";
        switch (error.SymbolResult)
        {
            case OptionResult option when error.Message.Contains("Must be one of:", StringComparison.Ordinal):
                var choices = error.Message[(error.Message.IndexOf("Must be one of:", StringComparison.Ordinal) + 15)..]
                    .Split(['\n', '\t', '\r', '\''], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return $"{option.Option.Name}: '{string.Join(' ', option.Tokens.Select(t => t.Value))}' is not one of: {string.Join(", ", choices)} {see}";
            case OptionResult option when error.Message.Contains("expected type", StringComparison.Ordinal):
                return $"{option.Option.Name}: '{string.Join(' ', option.Tokens.Select(t => t.Value))}' is not {Kind(option.Option.ValueType)} {see}";
            case ArgumentResult argument when error.Message.Contains("expected type", StringComparison.Ordinal):
                return $"<{argument.Argument.Name}>: '{string.Join(' ', argument.Tokens.Select(t => t.Value))}' is not {Kind(argument.Argument.ValueType)} {see}";
        }

        if (parse.UnmatchedTokens.Count > 0)
        {
            var word = parse.UnmatchedTokens[0];
            var guess = command.Subcommands.Count > 0 ? Suggestion.Closest(word, command.Subcommands.Select(c => c.Name)) : null;
            var what = command.Subcommands.Count > 0 ? "command" : "argument";
            return $"unrecognized {what} '{word}'{(guess is null ? string.Empty : $"; did you mean '{guess}'?")} {see}";
        }

        return $"{LowerFirst(error.Message.TrimEnd('.'))} {see}";
    }

    /// <summary>A value's kind in words: never `System.Double` or ``System.Nullable`1[...]``.</summary>
    internal static string Kind(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            type = type.GetElementType()!;
        }

        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte) => "a whole number (0 or more)",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type.IsEnum => "one of: " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
            _ => "a valid value",
        };
    }

    /// <summary>`wirekit file get`: the words a person types to reach the command that was parsed.</summary>
    internal static string CommandPath(CommandResult result) => string.Join(' ', Ancestors(result).Reverse().Select(c => c.Name));

    /// <summary>The parsed command, then its parent, up to the root.</summary>
    private static IEnumerable<Command> Ancestors(CommandResult result)
    {
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                yield return command.Command;
            }
        }
    }

    private static string LowerFirst(string text) => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
