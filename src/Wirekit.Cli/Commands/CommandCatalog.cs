using System.CommandLine;

namespace Wirekit.Cli.Commands;

/// <summary>Every top-level command, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return SockoptCommand.Create();
        yield return FileCommand.Create();
    }
}
