using System.CommandLine;
using Wirekit.Bench;
using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Bench;

/// <summary>
/// Says a bench library's <see cref="OptionProblem"/> in the command line's words: the flag that set the property,
/// then the library's rule ("--clients must be at least 1"). The library knows properties; only the CLI knows flags.
/// </summary>
internal sealed class OptionProblemMessage
{
    private readonly Dictionary<string, string> _flags = new(StringComparer.Ordinal);

    /// <summary>Names <paramref name="option"/> as the flag for <paramref name="property"/> (a <c>nameof</c> of the options record).</summary>
    public OptionProblemMessage Map(string property, Option option) => Map(property, option.Name);

    /// <summary>Names a property that several flags make up (<c>BytesInFlight</c> is <c>--messages x --size</c>).</summary>
    public OptionProblemMessage Map(string property, string words)
    {
        _flags[property] = words;
        return this;
    }

    /// <summary>
    /// The usage error for <paramref name="problem"/>, thrown so the runner prints it (and, under --json, the error
    /// object) with exit code 2. A property no flag sets keeps the library's name (it can only be wrong through a
    /// default, which the tests guard).
    /// </summary>
    public CommandFailure Failure(OptionProblem problem)
        => CommandFailure.Usage($"{(_flags.TryGetValue(problem.Property, out var flag) ? flag : problem.Property)} {problem.Rule}");
}
