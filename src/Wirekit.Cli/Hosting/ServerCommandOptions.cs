using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
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
        Engine = EngineOption.Create("How the server waits for its clients (the I/O model): " + string.Join("; ", carriers.Select(Describe)) + ".", carriers);
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
        Port = CommonOptions.ListenPort(defaultPort, "TCP port to listen on; 0 lets the system pick a free one (the server prints it).");
        Bind = BindOption();
        NoDelay = new Option<bool>("--nodelay") { Description = "Set TCP_NODELAY on every connection: small replies leave at once instead of waiting for Nagle's algorithm to batch them (lower latency, more packets)." };
        ReuseAddress = new Option<bool>("--reuse-address") { Description = "Set SO_REUSEADDR, so a restarted server can take its port back while the old connections still sit in TIME_WAIT." };
        SendBuffer = new Option<int?>("--sndbuf") { Description = "Kernel send buffer per connection in bytes (SO_SNDBUF; the kernel's default if unset, and Linux reports twice the value set).", HelpName = "bytes" };
        ReceiveBuffer = new Option<int?>("--rcvbuf") { Description = "Kernel receive buffer per connection in bytes (SO_RCVBUF); a small one lets you watch TCP's flow control (the zero window) at work.", HelpName = "bytes" };
        Backlog = new Option<int>("--backlog")
        {
            Description = "How many connections the kernel may complete and hold before the server accepts them; past it, new clients wait or fail. " +
                "The default is the system's maximum (net.core.somaxconn), so a burst of clients is not dropped.",
            DefaultValueFactory = _ => new ServerOptions().Backlog,
        };
        KeepAlive = new Option<string?>("--keepalive")
        {
            Description = "TCP keepalive as IDLE,INTERVAL,COUNT in seconds (e.g. 30,5,4: probe after 30 s of silence, every 5 s, give up after 4 unanswered): " +
                "finds clients that vanished without closing (pulled cable, power loss).",
            HelpName = "idle,interval,count",
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
            Description = "Most clients served at once; one more gets the service's \"server full\" notice and is closed. 0: as many as the engine " +
                "can serve within the process's open-file limit (threads: 1,000; --verbose logs the figure at start).",
            DefaultValueFactory = _ => 0,
        };
        Announce = ServerAnnouncement.Option();
        Metrics = MetricsOption();
        Verbose = VerboseOption();
        Quiet = QuietOption();
        Tls = new TlsServerCommandOptions(Engine);
    }

    /// <summary>`--tls-cert` and its companions (Hosting/TlsServerCommandOptions.cs).</summary>
    public TlsServerCommandOptions Tls { get; }

    /// <summary>`--engine`; read it with <see cref="EngineOf"/>.</summary>
    public Option<string> Engine { get; }

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

    public Option<bool> Quiet { get; }

    /// <summary>`--announce`: broadcast the server's presence for `wirekit discover` (see docs/discovery.md).</summary>
    public Option<bool> Announce { get; }

    /// <summary>`--metrics`: the Prometheus scrape endpoint and status page (see docs/metrics.md).</summary>
    public Option<string?> Metrics { get; }

    /// <param name="required">What the service needs of an engine (its <c>IServerService.Requires</c>): the engines offered follow from it.</param>
    public static ServerCommandOptions AddTo(Command command, int defaultPort, EngineFeatures required)
    {
        var options = new ServerCommandOptions(defaultPort, required);
        foreach (var option in new Option[]
        {
            options.Engine, options.Bind, options.Port, options.NoDelay, options.ReuseAddress, options.SendBuffer,
            options.ReceiveBuffer, options.Backlog, options.KeepAlive, options.MaxConnections, options.Announce, options.Metrics, options.Verbose, options.Quiet,
        })
        {
            command.Options.Add(option);
        }

        AccessCommandOptions.AddTo(command);
        options.Tls.AddTo(command);
        return options;
    }

    public ServerOptions Read(ParseResult parse) => AccessCommandOptions.Read(parse, new()
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
        Tls = Tls.Read(parse),
    });

    /// <summary>`--bind`, shared with `serve`.</summary>
    public static Option<string> BindOption()
    {
        var bind = new Option<string>("--bind", "-b")
        {
            Description = "Address to listen on. 127.0.0.1 keeps the server private to this machine. 0.0.0.0 (every IPv4 address) " +
                "or :: (every address, IPv4 included) opens it to the network: the server warns and lists the addresses others would use. " +
                "An address of one interface serves that network only.",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "address",
        };
        bind.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, not '{result.GetValueOrDefault<string>()}'");
            }
        });
        return bind;
    }

    /// <summary>`--metrics`, shared with `serve`; read it with <see cref="MetricsAddress"/>.</summary>
    public static Option<string?> MetricsOption()
    {
        var metrics = new Option<string?>("--metrics")
        {
            Description = "Serve the servers' live numbers over HTTP at this address: /metrics for Prometheus to scrape, / for a status page " +
                "in a browser. 127.0.0.1:9464 keeps them on this machine; a port alone means 127.0.0.1; port 0 picks a free one.",
            HelpName = "address:port",
        };
        metrics.Validators.Add(result =>
        {
            if (!TryParseMetrics(result.GetValueOrDefault<string?>() ?? "", out _))
            {
                result.AddError($"--metrics must be an address and port such as 127.0.0.1:9464, [::1]:9464 or 9464, not '{result.GetValueOrDefault<string?>()}'");
            }
        });
        return metrics;
    }

    /// <summary>Where `--metrics` asks the endpoint to listen; null when it was not given.</summary>
    public static IPEndPoint? MetricsAddress(ParseResult parse, Option<string?> metrics)
        => parse.GetValue(metrics) is { } text && TryParseMetrics(text, out var address) ? address : null;

    public static Option<bool> VerboseOption() => new("--verbose", "-v")
    {
        Description = "Log every connection and close, and the size of every receive (shows how TCP splits and joins what clients send).",
    };

    public static Option<bool> QuietOption() => new("--quiet", "-q") { Description = "Print only warnings and errors: no \"listening on\" lines (for scripts and services)." };

    public EngineKind EngineOf(ParseResult parse) => EngineOption.Read(parse, Engine);

    /// <summary>The command's loggers: --verbose and --quiet are log levels.</summary>
    public ILoggerFactory CreateLoggers(ParseResult parse) => CliLogging.Create(parse.GetValue(Verbose), parse.GetValue(Quiet));

    /// <summary>What <see cref="ServerRunner"/> needs to know of how to talk to the user.</summary>
    public ServerConsole Console(ParseResult parse, ILoggerFactory loggers) => new(System.Console.Out, System.Console.Error, loggers)
    {
        Quiet = parse.GetValue(Quiet),
        Announce = parse.GetValue(Announce),
        Metrics = MetricsAddress(parse, Metrics),
    };

    private static string Name(EngineKind engine) => EngineOption.Name(engine);

    private static bool TryParseMetrics(string text, [NotNullWhen(true)] out IPEndPoint? address)
    {
        address = null;
        if (ServerAddress.TryParsePort(text, out var port))
        {
            address = new IPEndPoint(IPAddress.Loopback, port);
        }
        else if (IPEndPoint.TryParse(text, out var parsed))
        {
            // IPEndPoint also reads "127.0.0.1" and "::1" with port 0: a port must be written ("[::1]:9464" for IPv6).
            var portWritten = parsed.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains("]:", StringComparison.Ordinal) : text.Contains(':', StringComparison.Ordinal);
            address = portWritten ? parsed : null;
        }

        return address is not null;
    }

    private static string Describe(EngineKind engine) => engine switch
    {
        EngineKind.Iterative => "iterative serves one client at a time (the simplest server; the next waits)",
        EngineKind.Threads => "threads gives each client a thread of its own",
        EngineKind.Select => "select serves every client from one thread that polls for sockets ready to read or write",
        _ => "async lets the OS complete reads and writes (epoll on Linux, IOCP on Windows) and scales furthest",
    };
}
