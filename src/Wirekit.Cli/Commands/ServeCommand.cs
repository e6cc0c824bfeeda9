using System.CommandLine;
using Wirekit.Chat;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit serve`: every Wirekit server at once, with defaults, for a first look.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var engine = new Option<EngineKind>("--engine", "-e")
        {
            Description = "I/O model for every server: iterative, threads, select or async (default).",
            DefaultValueFactory = _ => EngineKind.Async,
        };
        var bind = new Option<string>("--bind", "-b") { Description = "Address to listen on (127.0.0.1 keeps everything private to this machine).", DefaultValueFactory = _ => "127.0.0.1" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every session." };
        var announce = DiscoverCommand.AnnounceOption();
        var command = new Command("serve", "Start every Wirekit server with its defaults on 127.0.0.1 and print how to reach each. Ctrl+C stops them.")
        {
            engine, bind, announce, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(verbose));
            var options = new ServerOptions { BindAddress = System.Net.IPAddress.Parse(parse.GetValue(bind)!) };
            var asked = parse.GetValue(engine);
            // A safe default root: an empty folder of Wirekit's own, never the home or working directory.
            var files = new FileTransferHandler(FileServerDefaults.Options(), loggers);
            var chat = new ChatService(new ChatOptions(), loggers);
            var chatEngine = EngineOrNearest(asked, "chat", chat);
            var fileEngine = EngineOrNearest(asked, "file", files);
            return await ServerRunner.RunAsync(
                [
                    new ServerLaunch("echo", () => ServerHost.Start(asked, options with { Port = DefaultPorts.Echo }, new EchoService(), loggers), ep => $"nc {ep.Address} {ep.Port}"),
                    new ServerLaunch("chat", () => ServerHost.Start(chatEngine, options with { Port = DefaultPorts.Chat, KeepAlive = KeepAliveOptions.Parse(ChatCommand.DefaultKeepAlive) }, chat, loggers), ep => $"nc {ep.Address} {ep.Port}"),
                    new ServerLaunch("file", () => ServerHost.Start(fileEngine, options with { Port = DefaultPorts.File }, files, loggers), ep => $"wirekit file list {ep.Address} {ep.Port}   (serving {files.Root})"),
                ],
                Console.Out,
                cancellationToken,
                parse.GetValue(announce) ? loggers : null);
        });
        return command;
    }

    /// <summary>The engine asked for, or the nearest that can carry the service, saying so when it is not the one asked for.</summary>
    private static EngineKind EngineOrNearest(EngineKind asked, string name, IServerService service)
    {
        if (EngineCapabilities.WhyNot(asked, service.Requires) is not { } why)
        {
            return asked;
        }

        var nearest = EngineCapabilities.Nearest(asked, service.Requires);
        Console.Error.WriteLine($"note: {name} server runs on {nearest.ToString().ToLowerInvariant()}: {why}");
        return nearest;
    }
}
