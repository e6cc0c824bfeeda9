using System.CommandLine;
using Wirekit.Cli.Commands;

// Program only wires commands; each command lives in Commands/ in a file of its own.
var root = new RootCommand(
    "Wirekit: the classic socket-server designs (echo, chat, file transfer, UDP) on every I/O model, " +
    "with a load generator and network diagnostics. Servers bind 127.0.0.1 unless told otherwise.");

foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
