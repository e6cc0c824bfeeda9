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
        var tlsOn = new Option<bool>("--tls")
        {
            Description = "Serve echo, chat and file over TLS (encrypted, and clients can check they reached this server). Without --tls-cert, " +
                "a self-signed certificate is made once in Wirekit's data folder and used again next time, so its fingerprint " +
                "(what clients pin with --pin) stays the same.",
        };
        var tls = new TlsServerCommandOptions(engine: null);
        var chatPassword = ChatPasswordFile.Option("The chat room's password, this file's first line: a member's first line must be `/pass PASSWORD` (`chat join --password-file`).");
        var command = new Command("serve",
            "Start the echo, chat and file servers with their defaults, print how to reach each, and run until Ctrl+C. " +
            "The file server shares an empty folder of its own, never your home or working directory.")
        {
            engine, bind, echoPort, chatPort, filePort, announce, metrics, tlsOn, chatPassword, verbose, quiet,
        };
        AccessCommandOptions.AddTo(command);
        tls.AddTo(command, selfSigned: tlsOn);
        var backplane = BackplaneCommandOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = CliLogging.Create(parse.GetValue(verbose), parse.GetValue(quiet));
            var console = new ServerConsole(Console.Out, Console.Error, loggers) { Quiet = parse.GetValue(quiet), Announce = parse.GetValue(announce), Metrics = ServerCommandOptions.MetricsAddress(parse, metrics) };
            var options = AccessCommandOptions.Read(parse, new ServerOptions { BindAddress = IPAddress.Parse(parse.GetValue(bind)!), Tls = ReadTls(parse, tls, tlsOn, console) });
            var asked = EngineOption.Read(parse, engine);
            var echoEngine = EngineOrNearest(asked, "echo", EngineCapabilities.RequiredBy(options), console);
            // A safe default root: an empty folder of Wirekit's own, never the home or working directory.
            var files = new FileTransferHandler(FileServerDefaults.Options(), loggers);
            var chatEngine = EngineOrNearest(asked, "chat", ChatService.EngineRequirements | EngineCapabilities.RequiredBy(options), console);
            var fileEngine = EngineOrNearest(asked, "file", FileTransferHandler.EngineRequirements | EngineCapabilities.RequiredBy(options), console);
            var chatBackplane = backplane.Read(parse);
            if (!await BackplaneCommandOptions.ServerUsableAsync(chatBackplane, cancellationToken))
            {
                return 2;
            }

            var chatOptions = options with { Port = parse.GetValue(chatPort), KeepAlive = KeepAliveOptions.Parse(ChatCommand.DefaultKeepAlive), FlushCoalescing = ChatCommand.DefaultCoalescing };
            return await ServerRunner.RunAsync(
                [
                    EchoCommand.Launch(echoEngine, options with { Port = parse.GetValue(echoPort) }, loggers) with
                    {
                        PortOption = echoPort.Name,
                    },
                    ChatCommand.Launch(chatEngine, chatOptions, new ChatOptions { Backplane = chatBackplane, Password = ChatPasswordFile.Read(parse, chatPassword) }, loggers) with
                    {
                        PortOption = chatPort.Name,
                        // Under TLS netcat cannot join; Wirekit's client can, with the certificate's pin.
                        ReachHint = options.Tls is null ? ServerLaunch.NetcatHint : endPoint => $"wirekit chat join{TlsServerCommandOptions.ClientOptions(options.Tls)} {endPoint}",
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

    /// <summary>
    /// --tls-cert, or with `--tls` alone the kept self-signed certificate, saying where it came from (each TLS
    /// server's banner says how to connect). Null for plaintext.
    /// </summary>
    private static Tls.TlsServerOptions? ReadTls(ParseResult parse, TlsServerCommandOptions tls, Option<bool> tlsOn, ServerConsole console)
    {
        if (tls.Read(parse) is { } given)
        {
            return given;
        }

        if (!parse.GetValue(tlsOn))
        {
            return null;
        }

        var note = "";
        var kept = tls.Load(() => ServeCertificate.LoadOrCreate(ServeCertificate.Folder(), out note), parse);
        if (!console.Quiet)
        {
            console.Errors.WriteLine($"note: {note}");
        }

        return kept;
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
