namespace Wirekit.Bench;

/// <summary>
/// What is wrong with a bench options record, in the library's own words: the property and the rule it breaks.
/// A command line names its own flag for <see cref="Property"/> and says the same rule.
/// </summary>
/// <param name="Property">The property's name, as <c>nameof</c> gives it (<c>"Clients"</c>).</param>
/// <param name="Rule">The rule, worded to follow any name for the property (<c>"must be at least 1"</c>).</param>
public sealed record OptionProblem(string Property, string Rule)
{
    /// <summary>The problem as one sentence with the property's name: <c>Clients must be at least 1</c>.</summary>
    public override string ToString() => $"{Property} {Rule}";

    /// <summary>Throws the <see cref="ArgumentException"/> an entry point raises for options that break a rule.</summary>
    internal static void ThrowIfAny(OptionProblem? problem)
    {
        if (problem is not null)
        {
            throw new ArgumentException(problem.ToString(), problem.Property);
        }
    }
}
