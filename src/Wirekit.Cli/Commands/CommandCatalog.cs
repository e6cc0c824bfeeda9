using System.CommandLine;

namespace Wirekit.Cli.Commands;

/// <summary>Every top-level command, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ServeCommand.Create();
        yield return EchoCommand.Create();
        yield return ChatCommand.Create();
        yield return BenchChatCommand.CreateStandaloneBench(); // merge: add BenchChatCommand.Create() to `bench` instead
        yield return SockoptCommand.Create();
    }
}
