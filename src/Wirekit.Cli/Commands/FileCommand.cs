using System.CommandLine;
using Microsoft.Extensions.Logging;
using Wirekit.Cli.Hosting;
using Wirekit.Cli.Invocation;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit file`: the seed's file server and client, made fast, verified and resumable (docs/file-protocol.md). List and get live in FileCommand.List.cs and FileCommand.Get.cs.</summary>
internal static partial class FileCommand
{
    public static Command Create()
    {
        var command = new Command("file",
            "Serve a folder and download from it. Two command sets: the classic one (files by index, sizes below 4 GiB, " +
            "no hash; what simple C clients speak) and the modern one (64-bit sizes, XXH128 verification, resume, " +
            "parallel ranges). See docs/file-protocol.md.");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateGet());
        command.Subcommands.Add(FileSendCommand.Create());
        return command;
    }

    private static Command CreateServe()
    {
        var root = new Option<string>("--root")
        {
            HelpName = "folder",
            Description = "Folder to serve. Only its top-level regular files are listed and served; nothing outside it, whatever the request or a link says.",
            Required = true,
        };
        var showHidden = new Option<bool>("--show-hidden") { Description = "List and serve files whose name starts with '.' (hidden by default: they are often secrets)." };
        var token = new Option<string?>("--token")
        {
            Description = "Require this token before the modern commands. Clear text: it keeps casual clients out, not eavesdroppers. " +
                $"Needs --no-classic (the classic commands cannot carry a token). {FileServerDefaults.TokenFreeGuesses} wrong tokens close the connection " +
                $"and make that address wait before its next try (1 s, doubling up to {FileServerDefaults.TokenLongestWait.TotalSeconds:0} s).",
        };
        var allowClassic = new Option<bool>("--allow-classic-without-token") { Description = "Accept --token without --no-classic: the classic list and get stay open to everyone." };
        var noClassic = new Option<bool>("--no-classic") { Description = "Refuse the classic commands (files by index, 32-bit sizes, no hash, no token): only the modern, verified ones are served." };
        var idle = new Option<double>("--idle-timeout") { HelpName = "seconds", Description = "Seconds a client may stay silent before the server closes it (the server is passive and waits for the client to close).", DefaultValueFactory = _ => 60 };
        var sendTimeout = new Option<double>("--send-timeout")
        {
            HelpName = "seconds",
            Description = "Seconds a reply may go without the client acknowledging a byte before the connection is reset: a client that asks for a file " +
                "and stops reading would otherwise hold a descriptor and megabytes of kernel memory. Slow readers that keep reading are never cut off. 0 turns it off.",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("serve",
            "Serve a folder to `wirekit file list|get` and to classic C clients. Each file is sent with sendfile(2), " +
            "straight from the page cache to the socket. A connection that receives " +
            $"{new FileServerOptions { Root = "." }.MaxErrorsPerConnection} error replies (bad, refused or unknown requests) is closed. Ctrl+C stops it.")
        {
            root, showHidden, token, allowClassic, noClassic, idle, sendTimeout,
        };
        var server = ServerCommandOptions.AddTo(command, DefaultPorts.File, FileTransferHandler.EngineRequirements);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            if (parse.GetValue(token) is not null && !parse.GetValue(noClassic))
            {
                if (!parse.GetValue(allowClassic))
                {
                    throw CommandFailure.Usage(
                        "--token guards only the modern commands; the classic ones cannot carry a token and would stay open to everyone: add --no-classic (or --allow-classic-without-token to accept that)");
                }

                await Console.Error.WriteLineAsync("warning: --token is set, but the classic list and get stay open to everyone (--allow-classic-without-token)");
            }

            var options = new FileServerOptions
            {
                Root = parse.GetValue(root)!,
                ShowHidden = parse.GetValue(showHidden),
                Token = parse.GetValue(token),
                NoClassic = parse.GetValue(noClassic),
                IdleTimeout = TimeSpan.FromSeconds(parse.GetValue(idle)),
                SendTimeout = TimeSpan.FromSeconds(parse.GetValue(sendTimeout)),
            };
            using var loggers = server.CreateLoggers(parse);
            return await ServeAsync(server.Console(parse, loggers), options, server.Read(parse), server.EngineOf(parse), ct);
        });
        return command;
    }

    internal static async Task<int> ServeAsync(
        ServerConsole console, FileServerOptions options, ServerOptions server, EngineKind engine, CancellationToken ct)
    {
        FileTransferHandler handler;
        try
        {
            handler = new FileTransferHandler(options, console.Loggers);
        }
        catch (DirectoryNotFoundException e)
        {
            throw CommandFailure.Usage(e.Message);
        }

        using (handler)
        {
            return await ServerRunner.RunAsync(
                [Launch(engine, server, handler, console.Loggers)],
                console,
                ct);
        }
    }

    /// <summary>The file server as `serve` and `file serve` start it.</summary>
    internal static ServerLaunch Launch(EngineKind engine, ServerOptions server, FileTransferHandler handler, Microsoft.Extensions.Logging.ILoggerFactory loggers)
        => new("file", server, options => ServerHost.Start(engine, options, handler, loggers), endPoint => ReachHint(endPoint, handler.Root, server.Tls));

    /// <summary>What `serve` and `file serve` tell a person to try: the client command, in the address form clients take.</summary>
    private static string ReachHint(System.Net.IPEndPoint endPoint, string root, Tls.TlsServerOptions? tls)
        => $"wirekit file list{TlsServerCommandOptions.ClientOptions(tls)} {new ServerAddress(endPoint.Address.ToString(), endPoint.Port)}   (serving {root})";
}
