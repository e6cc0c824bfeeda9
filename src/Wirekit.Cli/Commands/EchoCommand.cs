using System.CommandLine;
using Wirekit.Cli.Hosting;
using Wirekit.Cli.Terminal;
using Wirekit.Echo;
using Wirekit.Engines;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit echo serve|connect`: a TCP echo server and its client. The client's run is in EchoCommand.Connect.cs.</summary>
internal static partial class EchoCommand
{
    public static Command Create()
    {
        var command = new Command("echo",
            "TCP echo: a server that sends back exactly what it receives, and a client to type at it. The smallest " +
            "useful server: watch a connection open, carry bytes both ways and close.");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(CreateConnect());
        return command;
    }

    private static Command CreateServe()
    {
        var command = new Command("serve",
            "Run the echo server until Ctrl+C or SIGTERM. Any client works: `echo connect`, nc, telnet. The I/O " +
            "models (--engine) serve the same bytes in different ways; compare them with `bench echo`. With " +
            "--verbose every receive is logged with its size: `echo connect --bytewise` then shows TCP joining " +
            "one-byte sends into bigger pieces.");
        var server = ServerCommandOptions.AddTo(command, DefaultPorts.Echo, EngineFeatures.None);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = server.CreateLoggers(parse);
            var engine = server.EngineOf(parse);
            return await ServerRunner.RunAsync(
                [Launch(engine, server.Read(parse), loggers)],
                server.Console(parse, loggers),
                cancellationToken);
        });
        return command;
    }

    /// <summary>The echo server as `serve` and `echo serve` start it.</summary>
    internal static ServerLaunch Launch(EngineKind engine, ServerOptions server, Microsoft.Extensions.Logging.ILoggerFactory loggers)
        => new("echo", server, options => ServerHost.Start(engine, options, new EchoService(), loggers), ServerLaunch.NetcatHint);

    private static Command CreateConnect()
    {
        var server = ServerAddress.Argument(DefaultPorts.Echo);
        var noDelay = new Option<bool>("--nodelay") { Description = "Set TCP_NODELAY: each send leaves at once instead of waiting for Nagle's algorithm to batch small writes." };
        var bytewise = new Option<bool>("--bytewise") { Description = "Send each line one byte per send call. The server still receives bigger pieces (see `echo serve --verbose`): TCP is a byte stream, not messages." };
        var nul = new Option<bool>("--nul") { Description = "End each line with a NUL byte instead of a newline, for servers written in C that read NUL-terminated strings." };
        var json = CommonOptions.Json();
        json.Description = "Print each reply as one JSON object ({\"reply\": \"...\"}; docs/json.md) instead of `From server: ...`.";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only the replies: no `connected to` banner (for scripts).";
        var command = new Command("connect",
            "Connect to an echo server, type a line and see `From server: ...` with what came back. EXIT, Ctrl+D or " +
            "Ctrl+C end it; a server that closes ends it at once. Replies are printed as they arrive, whatever their " +
            "length, up to the first NUL when the server sends NUL-terminated text. With stdin from a file or pipe, " +
            "sends each line, waits for its reply and exits at end of input. The client closes first, so the " +
            "TIME_WAIT state stays on this side (see `ports`).")
        {
            server, noDelay, bytewise, nul, json, quiet,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new EchoConnectSettings(ServerAddress.Read(parse.GetValue(server), DefaultPorts.Echo), parse.GetValue(noDelay), parse.GetValue(bytewise), parse.GetValue(nul), parse.GetValue(json), parse.GetValue(quiet), tls.Read(parse));
            var console = settings.Json ? new PipedLineConsole(Console.In, Console.Out) : LineConsoles.Open();
            try
            {
                return await RunClientAsync(settings, console, cancellationToken);
            }
            finally
            {
                console.Finish();
            }
        });
        return command;
    }
}
