using System.CommandLine;
using System.Globalization;
using Wirekit.Chat;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `--backplane URL [--room NAME] [--node-name NAME] [--heartbeat SECONDS]`: one chat room across several servers
/// (docs/chat-protocol.md, "Scale-out"), for `chat serve` and `serve`. <see cref="Read"/> gives the library's options.
/// </summary>
internal sealed class BackplaneCommandOptions
{
    private BackplaneCommandOptions()
    {
        Url = new Option<string?>("--backplane")
        {
            Description = "Share one room with every chat server on this Redis or NATS server: redis://[:password@]host[:port], rediss:// for TLS, " +
                "nats://[user:password@]host[:port], tls:// for NATS over TLS; add ?timeout=SECONDS to bound the connect (default 5). " +
                "Members on any of the servers see one room, in one order. When it cannot be reached the room serves its own members and keeps retrying.",
            HelpName = "url",
        };
        Room = new Option<string>("--room") { Description = "Which room on the backplane: servers with the same backplane and room are one room.", DefaultValueFactory = _ => "lobby", HelpName = "name" };
        NodeName = new Option<string?>("--node-name") { Description = "This server's name in /who and in `(node a lost)` notices; unique per room (default: host name and process id).", HelpName = "name" };
        Heartbeat = new Option<double>("--heartbeat")
        {
            Description = "Seconds between this server's heartbeats; a server silent for 3 of them is taken as lost and its members as gone.",
            DefaultValueFactory = _ => 5,
            HelpName = "seconds",
        };
    }

    public Option<string?> Url { get; }

    public Option<string> Room { get; }

    public Option<string?> NodeName { get; }

    public Option<double> Heartbeat { get; }

    public static BackplaneCommandOptions AddTo(Command command)
    {
        var options = new BackplaneCommandOptions();
        command.Options.Add(options.Url);
        command.Options.Add(options.Room);
        command.Options.Add(options.NodeName);
        command.Options.Add(options.Heartbeat);
        // Checked before anything listens: a URL or name that cannot be used is a usage error (exit 2), not a failure later.
        Check(options.Url, url => url is null ? null : ChatBackplaneOptions.Problem(new() { Url = url }));
        Check(options.Room, room => ChatBackplaneOptions.Problem(new() { Url = "redis://localhost", Room = room }));
        Check(options.NodeName, node => node is null ? null : ChatBackplaneOptions.Problem(new() { Url = "redis://localhost", NodeName = node }));
        Check(options.Heartbeat, seconds => seconds is > 0 and <= 3600 ? null : $"must be seconds between 0 and 3600, not {seconds.ToString(CultureInfo.InvariantCulture)}");
        return options;
    }

    private static void Check<T>(Option<T> option, Func<T, string?> problem)
        => option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && problem(result.GetValueOrDefault<T>()) is { } why)
            {
                result.AddError($"{option.Name}: {why}");
            }
        });

    /// <summary>The backplane asked for, or null for a room of this server alone.</summary>
    public ChatBackplaneOptions? Read(ParseResult parse)
        => ReadFrom(parse.GetValue(Url), parse.GetValue(Room), parse.GetValue(NodeName), parse.GetValue(Heartbeat));

    /// <summary>
    /// The backplane server asked once before anything listens (a NATS server without JetStream can never carry the
    /// room): false after one `error:` line, which the command turns into exit 2. An unreachable server passes: the
    /// node serves its own members and retries, as documented.
    /// </summary>
    public static async Task<bool> ServerUsableAsync(ChatBackplaneOptions? options, CancellationToken cancellationToken)
    {
        if (options is null || await ChatBackplaneOptions.ServerProblemAsync(options, cancellationToken) is not { } why)
        {
            return true;
        }

        await Console.Error.WriteLineAsync("error: " + why);
        return false;
    }

    private ChatBackplaneOptions? ReadFrom(string? url, string? room, string? nodeName, double heartbeat) => url is null ? null : new()
    {
        Url = url,
        Room = room ?? "lobby",
        NodeName = nodeName,
        HeartbeatInterval = TimeSpan.FromSeconds(heartbeat),
    };
}
