using System.CommandLine;
using System.Net;
using Wirekit.Chat;
using Wirekit.Cli.Hosting;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit serve`: every Wirekit server at once, with defaults, for a first look.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var engine = EngineOption.Create(
            "How every server waits for its clients (the I/O model): iterative, threads, select or async. A server " +
            "that cannot run on the one chosen (chat and file need several clients at once) takes the nearest and says so.",
            Enum.GetValues<EngineKind>());
        var bind = ServerCommandOptions.BindOption();
        var echoPort = Port("--echo-port", "echo", DefaultPorts.Echo);
        var chatPort = Port("--chat-port", "chat", DefaultPorts.Chat);
        var filePort = Port("--file-port", "file", DefaultPorts.File);
        var verbose = ServerCommandOptions.VerboseOption();
        var quiet = ServerCommandOptions.QuietOption();
        var announce = ServerAnnouncement.Option();
        var metrics = ServerCommandOptions.MetricsOption();
        var command = new Command("serve",
            "Start the echo, chat and file servers with their defaults, print how to reach each, and run until Ctrl+C. " +
            "The file server shares an empty folder of its own, never your home or working directory.")
        {
            engine, bind, echoPort, chatPort, filePort, announce, metrics, verbose, quiet,
        };
        var backplane = BackplaneCommandOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(verbose), parse.GetValue(quiet));
            var console = new ServerConsole(Console.Out, Console.Error, loggers) { Quiet = parse.GetValue(quiet), Announce = parse.GetValue(announce), Metrics = ServerCommandOptions.MetricsAddress(parse, metrics) };
            var options = new ServerOptions { BindAddress = IPAddress.Parse(parse.GetValue(bind)!) };
            var asked = EngineOption.Read(parse, engine);
            // A safe default root: an empty folder of Wirekit's own, never the home or working directory.
            var files = new FileTransferHandler(FileServerDefaults.Options(), loggers);
            var chatEngine = EngineOrNearest(asked, "chat", ChatService.EngineRequirements, console);
            var fileEngine = EngineOrNearest(asked, "file", FileTransferHandler.EngineRequirements, console);
            var chatOptions = options with { Port = parse.GetValue(chatPort), KeepAlive = KeepAliveOptions.Parse(ChatCommand.DefaultKeepAlive) };
            return await ServerRunner.RunAsync(
                [
                    EchoCommand.Launch(asked, options with { Port = parse.GetValue(echoPort) }, loggers) with
                    {
                        PortOption = echoPort.Name,
                    },
                    ChatCommand.Launch(chatEngine, chatOptions, new ChatOptions { Backplane = backplane.Read(parse) }, loggers) with
                    {
                        PortOption = chatPort.Name,
                    },
                    FileCommand.Launch(fileEngine, options with { Port = parse.GetValue(filePort) }, files, loggers) with
                    {
                        PortOption = filePort.Name,
                    },
                ],
                console,
                cancellationToken);
        });
        return command;
    }

    private static Option<int> Port(string name, string server, int defaultPort) => new Option<int>(name)
    {
        Description = $"TCP port of the {server} server; 0 lets the system pick a free one.",
        DefaultValueFactory = _ => defaultPort,
        HelpName = "port",
    }.Checked(0);

    /// <summary>The engine asked for, or the nearest that can carry the service, saying so when it is not the one asked for.</summary>
    private static EngineKind EngineOrNearest(EngineKind asked, string name, EngineFeatures requires, ServerConsole console)
    {
        if (EngineCapabilities.WhyNot(asked, requires) is not { } why)
        {
            return asked;
        }

        var nearest = EngineCapabilities.Nearest(asked, requires);
        if (!console.Quiet)
        {
            console.Errors.WriteLine($"note: {name} server runs on {nearest.ToString().ToLowerInvariant()}: {why}");
        }

        return nearest;
    }
}
