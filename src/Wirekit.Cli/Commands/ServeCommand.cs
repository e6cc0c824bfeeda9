using System.CommandLine;
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
            var kind = parse.GetValue(engine);
            // A safe default root: an empty folder of Wirekit's own, never the home or working directory.
            using var files = new FileTransferHandler(FileServerDefaults.Options(), loggers);
            return await ServerRunner.RunAsync(
                [
                    new ServerLaunch("echo", () => ServerHost.Start(kind, options with { Port = EchoService.DefaultPort }, new EchoService(), loggers), ep => $"nc {ep.Address} {ep.Port}"),
                    // A chat on the iterative engine would serve one member at a time: that engine's chat runs on threads.
                    ChatCommand.Launch(kind == EngineKind.Iterative ? EngineKind.Threads : kind, options with { Port = Wirekit.Chat.ChatOptions.DefaultPort, KeepAlive = KeepAliveOptions.Parse(ChatCommand.DefaultKeepAlive) }, new Wirekit.Chat.ChatOptions(), loggers),
                    new ServerLaunch("file", () => ServerHost.Start(FileEngine(kind), options with { Port = FileServerDefaults.Port }, files, loggers), ep => $"wirekit file list {ep.Address} {ep.Port}   (serving {files.Root})"),
                ],
                Console.Out,
                cancellationToken,
                parse.GetValue(announce) ? loggers : null);
        });
        return command;
    }

    /// <summary>The file service needs a flow per client: on the single-threaded engines it runs on async instead.</summary>
    private static EngineKind FileEngine(EngineKind asked) => asked is EngineKind.Threads ? EngineKind.Threads : EngineKind.Async;
}
