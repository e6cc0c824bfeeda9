using System.CommandLine;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `--engine` for the server commands: the names are lower case where they are typed, listed and shown as the default
/// (an enum option prints its default as `Async`), and only the engines offered are accepted.
/// </summary>
internal static class EngineOption
{
    public static Option<string> Create(string description, IReadOnlyCollection<Wirekit.Engines.EngineKind> offered) => new Option<string>("--engine", "-e")
    {
        Description = description,
        DefaultValueFactory = _ => Name(Wirekit.Engines.EngineKind.Async),
        HelpName = string.Join('|', offered.Select(Name)),
    }.AcceptingOnly(Enum.GetValues<Wirekit.Engines.EngineKind>().Select(Name).ToArray());

    public static Wirekit.Engines.EngineKind Read(ParseResult parse, Option<string> option)
        => Enum.Parse<Wirekit.Engines.EngineKind>(parse.GetValue(option)!, ignoreCase: true);

    public static string Name(Wirekit.Engines.EngineKind engine) => engine.ToString().ToLowerInvariant();

    private static Option<string> AcceptingOnly(this Option<string> option, string[] names)
    {
        option.AcceptOnlyFromAmong(names);
        return option;
    }
}
