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
        yield return FileCommand.Create();
        yield return UdpCommand.Create();
        yield return DiscoverCommand.Create();
        yield return DnsCommand.Create();
        yield return HttpCommand.Create();
        yield return FtpCommand.Create();
        yield return NicCommand.Create();
        yield return PortsCommand.Create();
        yield return SockoptCommand.Create();
        yield return BenchCommand.Create();
    }
}
