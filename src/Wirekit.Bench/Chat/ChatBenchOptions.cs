namespace Wirekit.Bench.Chat;

/// <summary>A chat load run: how many members, how many of them talk, how fast, for how long.</summary>
public sealed record ChatBenchOptions
{
    /// <summary>Members connected; every one of them receives every message.</summary>
    public int Clients { get; init; } = 100;

    /// <summary>Members that also send (the first S of the clients).</summary>
    public int Senders { get; init; } = 1;

    /// <summary>Messages per second, all senders together; 0 sends as fast as the connection takes them.</summary>
    public double Rate { get; init; } = 1000;

    /// <summary>How long the senders send. Default 5 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for every member to have seen every join before the clock starts.</summary>
    public TimeSpan JoinSettleLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long, after sending stops, receivers get to take what is still in flight.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>TLS on every member's connection, or null for plaintext; the handshakes happen before the clock starts. Default null.</summary>
    public TlsHandshake? Tls { get; init; }

    /// <summary>The first rule these options break, or null when they break none.</summary>
    public OptionProblem? Problem() =>
        Clients < 1 ? new(nameof(Clients), "must be at least 1")
        : Senders < 1 ? new(nameof(Senders), "must be at least 1")
        : Senders > Clients ? new(nameof(Senders), "cannot be more than the clients")
        : Rate < 0 ? new(nameof(Rate), "cannot be negative")
        : Duration <= TimeSpan.Zero ? new(nameof(Duration), "must be more than 0")
        : null;
}

/// <summary>What a run measured. A delivery is one message arriving at one member.</summary>
/// <param name="Sent">Messages the senders sent.</param>
/// <param name="Delivered">Messages that arrived, counted once per member that received them.</param>
/// <param name="SendTime">How long the senders sent.</param>
/// <param name="TotalTime">Sending plus the drain that followed.</param>
/// <param name="ClientsLost">Members the server closed or reset before the end (slow consumers, say).</param>
/// <param name="JoinSettleTime">How long every join notice took to arrive, before the clock started.</param>
public sealed record ChatBenchResult(long Sent, long Delivered, TimeSpan SendTime, TimeSpan TotalTime, int ClientsLost, TimeSpan JoinSettleTime)
{
    /// <summary>Deliveries if no member was lost: every message to every member, the sender included.</summary>
    public long Expected(int clients) => Sent * clients;

    /// <summary>Deliveries over the whole measured time, sending plus draining.</summary>
    public double DeliveriesPerSecond => Delivered / TotalTime.TotalSeconds;

    /// <summary>Each server's share, in the order the servers were given (one entry for a single server).</summary>
    public IReadOnlyList<ChatBenchNodeResult> Nodes { get; init; } = [];
}

/// <summary>What the members connected to one server sent and received, wherever the messages were sent.</summary>
/// <param name="Server">The server these members joined.</param>
/// <param name="Members">Members connected to it.</param>
/// <param name="Sent">Messages its senders sent.</param>
/// <param name="Delivered">Messages its members received, from senders on any server.</param>
/// <param name="ClientsLost">Its members closed or reset before the end.</param>
public sealed record ChatBenchNodeResult(System.Net.IPEndPoint Server, int Members, long Sent, long Delivered, int ClientsLost)
{
    /// <summary>Deliveries to these members if none was lost: every message sent in the room, <paramref name="roomSent"/>, to each.</summary>
    public long Expected(long roomSent) => roomSent * Members;
}
