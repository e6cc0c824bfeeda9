using System.CommandLine;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;

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
        var command = new Command("serve", "Start every Wirekit server with its defaults on 127.0.0.1 and print how to reach each. Ctrl+C stops them.")
        {
            engine, bind, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(verbose));
            var options = new ServerOptions { BindAddress = System.Net.IPAddress.Parse(parse.GetValue(bind)!) };
            var kind = parse.GetValue(engine);
            return await ServerRunner.RunAsync(
                [
                    new ServerLaunch("echo", () => ServerHost.Start(kind, options with { Port = EchoService.DefaultPort }, new EchoService(), loggers), ep => $"nc {ep.Address} {ep.Port}"),
                    // A chat on the iterative engine would serve one member at a time: that engine's chat runs on threads.
                    ChatCommand.Launch(kind == EngineKind.Iterative ? EngineKind.Threads : kind, options with { Port = Wirekit.Chat.ChatOptions.DefaultPort, KeepAlive = KeepAliveOptions.Parse(ChatCommand.DefaultKeepAlive) }, new Wirekit.Chat.ChatOptions(), loggers),
                ],
                Console.Out,
                cancellationToken);
        });
        return command;
    }
}
