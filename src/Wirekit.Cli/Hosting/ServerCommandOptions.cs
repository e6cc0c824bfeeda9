using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Wirekit.Cli.Commands;
using Wirekit.Engines;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// The options every server command takes, declared once so `echo serve`, `chat serve` and `file serve` read the
/// same and mean the same. <see cref="Read"/> turns a parse result into <see cref="ServerOptions"/>.
/// </summary>
internal sealed class ServerCommandOptions
{
    private ServerCommandOptions(int defaultPort, EngineFeatures required)
    {
        var carriers = EngineCapabilities.EnginesFor(required);
        Engine = new Option<EngineKind>("--engine", "-e")
        {
            Description = "I/O model: " + string.Join(", ", carriers.Select(Describe)) + ".",
            DefaultValueFactory = _ => EngineKind.Async,
            HelpName = string.Join('|', carriers.Select(Name)),
        };
        Engine.AcceptOnlyFromAmong(Enum.GetValues<EngineKind>().Select(Name).ToArray());
        Engine.CustomParser = result => Enum.Parse<EngineKind>(result.Tokens.Single().Value, ignoreCase: true);
        // Which engine carries what is decided in one place, the capability table; this only words its answer.
        Engine.Validators.Add(result =>
        {
            // A name outside the list is AcceptOnlyFromAmong's error; reading the value then would throw.
            if (result.Tokens.Count == 1 && Enum.TryParse<EngineKind>(result.Tokens[0].Value, ignoreCase: true, out var engine)
                && EngineCapabilities.WhyNot(engine, required) is { } why)
            {
                result.AddError($"--engine {Name(engine)}: {why}; use {string.Join(" or ", carriers.Select(Name))}");
            }
        });
        Port = CommonOptions.ListenPort(defaultPort, "TCP port to listen on (0 = any free port).");
        Bind = new Option<string>("--bind", "-b")
        {
            Description = "Address to listen on. 127.0.0.1 keeps the server private to this machine; 0.0.0.0 or :: " +
                "exposes it to the network, which must be a deliberate choice.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        Bind.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--bind must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{result.GetValueOrDefault<string>()}'");
            }
        });
        NoDelay = new Option<bool>("--nodelay") { Description = "Set TCP_NODELAY on each session: send small writes at once instead of letting Nagle's algorithm batch them." };
        ReuseAddress = new Option<bool>("--reuse-address") { Description = "Set SO_REUSEADDR so a restarted server can bind while old connections linger in TIME_WAIT." };
        SendBuffer = new Option<int?>("--sndbuf") { Description = "SO_SNDBUF in bytes for each session (kernel default if unset; Linux reports it doubled)." };
        ReceiveBuffer = new Option<int?>("--rcvbuf") { Description = "SO_RCVBUF in bytes for each session; a small one shows the TCP zero window at work." };
        Backlog = new Option<int>("--backlog")
        {
            Description = "Listen queue length: connections the kernel completes before we accept them. Default: the system's maximum (net.core.somaxconn), so a burst of joins is not dropped.",
            DefaultValueFactory = _ => new ServerOptions().Backlog,
        };
        KeepAlive = new Option<string?>("--keepalive")
        {
            Description = "TCP keepalive IDLE,INTERVAL,COUNT in seconds (e.g. 30,5,4): finds dead peers (pulled cable, power loss) that never send FIN or RST.",
        };
        KeepAlive.Validators.Add(result =>
        {
            try
            {
                KeepAliveOptions.Parse(result.GetValueOrDefault<string>()!);
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
            }
        });
        MaxConnections = new Option<int>("--max-connections")
        {
            Description = "Refuse connections beyond this many sessions, with the service's notice. 0 = as many as the engine can serve " +
                "within the open-file limit (the server says the figure when it starts; threads: 1,000 by default).",
            DefaultValueFactory = _ => 0,
        };
        Announce = DiscoverCommand.AnnounceOption();
        Verbose = new Option<bool>("--verbose", "-v") { Description = "Log every session (and, for echo, the size of every receive: see how TCP splits and joins sends)." };
    }

    public Option<EngineKind> Engine { get; }

    public Option<int> Port { get; }

    public Option<string> Bind { get; }

    public Option<bool> NoDelay { get; }

    public Option<bool> ReuseAddress { get; }

    public Option<int?> SendBuffer { get; }

    public Option<int?> ReceiveBuffer { get; }

    public Option<int> Backlog { get; }

    public Option<string?> KeepAlive { get; }

    public Option<int> MaxConnections { get; }

    public Option<bool> Verbose { get; }

    /// <summary>`--announce`: broadcast the server's presence for `wirekit discover` (see docs/discovery.md).</summary>
    public Option<bool> Announce { get; }

    /// <param name="required">What the service needs of an engine (its <c>IServerService.Requires</c>): the engines offered follow from it.</param>
    public static ServerCommandOptions AddTo(Command command, int defaultPort, EngineFeatures required)
    {
        var options = new ServerCommandOptions(defaultPort, required);
        foreach (var option in new Option[]
        {
            options.Engine, options.Bind, options.Port, options.NoDelay, options.ReuseAddress, options.SendBuffer,
            options.ReceiveBuffer, options.Backlog, options.KeepAlive, options.MaxConnections, options.Announce, options.Verbose,
        })
        {
            command.Options.Add(option);
        }

        return options;
    }

    public ServerOptions Read(ParseResult parse) => new()
    {
        BindAddress = IPAddress.Parse(parse.GetValue(Bind)!),
        Port = parse.GetValue(Port),
        NoDelay = parse.GetValue(NoDelay),
        ReuseAddress = parse.GetValue(ReuseAddress),
        SendBufferSize = parse.GetValue(SendBuffer),
        ReceiveBufferSize = parse.GetValue(ReceiveBuffer),
        Backlog = parse.GetValue(Backlog),
        KeepAlive = parse.GetValue(KeepAlive) is { } keepAlive ? KeepAliveOptions.Parse(keepAlive) : null,
        MaxConnections = parse.GetValue(MaxConnections),
    };

    private static string Name(EngineKind engine) => engine.ToString().ToLowerInvariant();

    private static string Describe(EngineKind engine) => engine switch
    {
        EngineKind.Iterative => "iterative (one client at a time, blocking)",
        EngineKind.Threads => "threads (a thread per client)",
        EngineKind.Select => "select (one thread, readiness via poll)",
        _ => "async (completion-based: IOCP / epoll)",
    };
}
