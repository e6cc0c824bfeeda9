using System.CommandLine;
using Wirekit.Chat;
using Wirekit.Cli.Chat;
using Wirekit.Cli.Hosting;
using Wirekit.Cli.Terminal;
using Wirekit.Engines;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit chat serve|join`: the chat server (threads, select, IOCP-style async) and its client (Chat/ChatJoinRunner).</summary>
internal static class ChatCommand
{
    /// <summary>Keepalive for chat sessions unless told otherwise: a dead peer is found within about 50 s.</summary>
    public const string DefaultKeepAlive = "30,5,4";

    /// <summary>How long a busy member's lines may wait to leave together (ServerOptions.FlushCoalescing): bench/results/scale-out.md measures it.</summary>
    public static readonly TimeSpan DefaultCoalescing = TimeSpan.FromMilliseconds(10);

    public static Command Create()
    {
        var command = new Command("chat",
            "Multi-client text chat: a server that survives slow, flooding and vanished clients, and a client. " +
            "`nc 127.0.0.1 25001` is a working client too; docs/chat-protocol.md has the protocol.");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(CreateJoin());
        return command;
    }

    private static Command CreateServe()
    {
        var maxMessage = new Option<int>("--max-message") { Description = "Longest message in bytes; a longer one gets an error notice and is dropped, and the sender stays connected.", DefaultValueFactory = _ => 4096 };
        var noEcho = new Option<bool>("--no-echo-sender") { Description = "Do not send a message back to its sender (as ncat's broker does). By default everyone, the sender included, sees every message, so all members see one order." };
        var queueLimit = new Option<int>("--queue-limit") { Description = "Bytes that may wait for one member; a member that stops reading passes it and is disconnected as a slow consumer, so it never stalls the room.", DefaultValueFactory = _ => 1024 * 1024 };
        var rateLimit = new Option<double>("--rate-limit") { Description = "Messages per second one member may send (token bucket); the first excess is warned, the next disconnects. 0 turns the limit off.", DefaultValueFactory = _ => 20 };
        var burst = new Option<int>("--burst") { Description = "Messages a member may send at once after a quiet spell, before --rate-limit applies.", DefaultValueFactory = _ => 40 };
        var maxRepeats = new Option<int>("--max-repeats") { Description = "Identical messages in a row before it counts as flooding (0 = no check).", DefaultValueFactory = _ => 5 };
        var idleTimeout = new Option<double>("--idle-timeout") { Description = "Seconds a member may stay silent before it is evicted as `(timeout)`; catches peers keepalive cannot (0 = never).", DefaultValueFactory = _ => 0 };
        var coalesce = new Option<double>("--coalesce")
        {
            Description = "Milliseconds a member's lines may wait to leave together: a member receiving faster than one line per this long gets them "
                + "several per send, which is what lets a busy room of a thousand members keep up; one receiving now and then gets each at once. 0 sends each at once.",
            DefaultValueFactory = _ => DefaultCoalescing.TotalMilliseconds,
            HelpName = "ms",
        };
        var motd = new Option<string?>("--motd") { Description = "Message of the day shown to everyone who joins." };
        var password = ChatPasswordFile.Option("A room for those who know its password, this file's first line: a member's first line must be `/pass PASSWORD` " +
            "(`chat join --password-file`); before it the member hears nothing, and any other first line is refused and closed.");
        var joinGrace = new Option<double>("--join-grace") { Description = "Seconds the room waits for a newcomer's first line before announcing it; a first line `/nick NAME` makes the join notice carry NAME (0 = announce on connect).", DefaultValueFactory = _ => new ChatOptions().JoinGrace.TotalSeconds };
        var command = new Command("serve",
            "Run the chat server until Ctrl+C or SIGTERM, which tell every member `-!- server shutting down` and close cleanly. " +
            "Join with `chat join`, or with nc: a line is a message, /help lists the commands. The I/O models (--engine) " +
            "serve the same room differently: a thread per member, one thread watching every socket with select, or " +
            "async sockets; compare them with `bench chat`.")
        {
            maxMessage, noEcho, queueLimit, coalesce, rateLimit, burst, maxRepeats, idleTimeout, motd, joinGrace, password,
        };
        var server = ServerCommandOptions.AddTo(command, DefaultPorts.Chat, ChatService.EngineRequirements);
        var nameFromCertificate = server.Tls.NameFromCertificateOption();
        command.Options.Add(nameFromCertificate);
        var backplane = BackplaneCommandOptions.AddTo(command);
        server.KeepAlive.DefaultValueFactory = _ => DefaultKeepAlive;
        server.KeepAlive.Description += $" Chat default: {DefaultKeepAlive}.";
        command.SetAction(async (parse, cancellationToken) =>
        {
            var limit = parse.GetValue(queueLimit);
            if (parse.GetValue(maxMessage) < 1 || limit < parse.GetValue(maxMessage) + 64)
            {
                await Console.Error.WriteLineAsync("error: --max-message must be positive and --queue-limit must hold at least one whole message (--max-message + 64)");
                return 2;
            }

            if (parse.GetValue(rateLimit) < 0 || parse.GetValue(burst) < 1 || parse.GetValue(maxRepeats) < 0 || parse.GetValue(idleTimeout) < 0
                || parse.GetValue(joinGrace) is < 0 or > 60 || parse.GetValue(coalesce) is < 0 or > 1000)
            {
                await Console.Error.WriteLineAsync("error: --rate-limit, --max-repeats and --idle-timeout cannot be negative, --burst must be at least 1, --join-grace is 0 to 60 seconds and --coalesce 0 to 1000 ms");
                return 2;
            }

            using var loggers = server.CreateLoggers(parse);
            var engine = server.EngineOf(parse);
            var serverOptions = server.Read(parse) with
            {
                MaxQueuedBytes = limit,
                ReceivePauseThreshold = Math.Min(new ServerOptions().ReceivePauseThreshold, limit / 2),
                FlushCoalescing = TimeSpan.FromMilliseconds(parse.GetValue(coalesce)),
            };
            var idle = parse.GetValue(idleTimeout);
            var chat = new ChatOptions
            {
                MaxMessageBytes = parse.GetValue(maxMessage),
                EchoSender = !parse.GetValue(noEcho),
                RateLimit = parse.GetValue(rateLimit),
                Burst = parse.GetValue(burst),
                MaxRepeats = parse.GetValue(maxRepeats),
                IdleTimeout = idle > 0 ? TimeSpan.FromSeconds(idle) : null,
                Motd = parse.GetValue(motd),
                JoinGrace = TimeSpan.FromSeconds(parse.GetValue(joinGrace)),
                NameFromCertificate = parse.GetValue(nameFromCertificate),
                Backplane = backplane.Read(parse),
                Password = ChatPasswordFile.Read(parse, password),
            };
            if (!await BackplaneCommandOptions.ServerUsableAsync(chat.Backplane, cancellationToken))
            {
                return 2;
            }

            return await ServerRunner.RunAsync([Launch(engine, serverOptions, chat, loggers)], server.Console(parse, loggers), cancellationToken);
        });
        return command;
    }

    /// <summary>The chat server as `serve` and `chat serve` start it.</summary>
    internal static ServerLaunch Launch(EngineKind engine, ServerOptions server, ChatOptions chat, Microsoft.Extensions.Logging.ILoggerFactory loggers)
    {
        ChatService? service = null;
        // The banner names the backplane (docs/chat-protocol.md, "Scale-out"), once the service has read its URL.
        return new("chat", server, options => ServerHost.Start(engine, options, service = new ChatService(chat, loggers), loggers),
            endPoint => ServerLaunch.NetcatHint(endPoint) + (service?.BackplaneDescription is { } shared ? $"  one room with every server on {shared}" : ""));
    }

    private static Command CreateJoin()
    {
        var server = ServerAddress.Argument(DefaultPorts.Chat);
        var name = new Option<string?>("--name") { Description = "Name to join under: letters of any script, digits, _ - and . (the server calls you user<N> without one). It is the first line sent, so the room's join notice already carries it. When it is taken, a terminal asks for another; piped input fails with exit 1." };
        var reconnect = new Option<bool>("--reconnect") { Description = "When the connection drops, connect again after 0.5 s, then 1, 2, 4... up to 10 s, saying each attempt, and take the name again. A line typed while offline is not sent later: it is reported as not sent." };
        var password = ChatPasswordFile.Option("The room's password, this file's first line: sent as `/pass PASSWORD` before anything else (a room served with --password-file).");
        var json = CommonOptions.Json();
        json.Description = "Print each line of the room as one JSON object ({\"kind\": \"message\", \"from\", \"text\"}, notice, error; docs/json.md), for a bot or a log.";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only what members say: no welcome, join, leave or reconnect notices (for scripts and logs).";
        var command = new Command("join",
            "Join a chat room: type a line and press Enter to send it to everyone; what others say is printed above " +
            "the line you are typing. Editing keys work as in a shell: Left/Right, Home/End, Ctrl+A/E, Backspace/Delete, " +
            "Ctrl+U/K/W, Up/Down for earlier lines. EXIT, /quit, Ctrl+D on an empty line or Ctrl+C (exit 130) leave; " +
            "the client closes the connection first. With stdin from a pipe or file, sends each line and exits once " +
            "the last one went out. Try /help in the room for its commands.")
        {
            server, name, reconnect, password, json, quiet,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = ServerAddress.Read(parse.GetValue(server), DefaultPorts.Chat);
            var settings = new ChatJoinSettings(address.Host, address.Port, parse.GetValue(name), parse.GetValue(reconnect))
            {
                Tls = tls.Read(parse),
                Password = ChatPasswordFile.Read(parse, password),
            };
            ILineConsole console = parse.GetValue(json) ? new ChatJsonConsole(new PipedLineConsole(Console.In, Console.Out)) : LineConsoles.Open();
            console = parse.GetValue(quiet) ? new QuietChatConsole(console) : console;
            try
            {
                return await new ChatJoinRunner(settings, console).RunAsync(cancellationToken);
            }
            finally
            {
                console.Finish();
            }
        });
        return command;
    }
}
