using System.CommandLine;
using System.CommandLine.Help;

namespace Wirekit.Cli.Commands;

/// <summary>Every top-level command, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    /// <summary>
    /// `wirekit` with every command. A plain Command named "wirekit" rather than RootCommand, whose name would be
    /// the assembly's (Wirekit.Cli).
    /// </summary>
    public static Command Root()
    {
        var root = new Command("wirekit",
            "Wirekit: the classic socket-server designs (echo, chat, file transfer, UDP) on every I/O model, " +
            "with a load generator and network diagnostics. Servers bind 127.0.0.1 unless told otherwise.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        foreach (var command in All())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(CompletionCommand.Create(Root));

        return root;
    }

    public static IEnumerable<Command> All()
    {
        yield return ServeCommand.Create();
        yield return EchoCommand.Create();
        yield return ChatCommand.Create();
        yield return FileCommand.Create();
        yield return CertCommand.Create();
        yield return UdpCommand.Create();
        yield return DiscoverCommand.Create();
        yield return DnsCommand.Create();
        yield return HttpCommand.Create();
        yield return FtpCommand.Create();
        yield return NicCommand.Create();
        yield return ProxyCommand.Create();
        yield return PortsCommand.Create();
        yield return SockoptCommand.Create();
        yield return BenchCommand.Create();
    }
}
