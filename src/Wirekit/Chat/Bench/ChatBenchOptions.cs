namespace Wirekit.Chat.Bench;

/// <summary>A chat load run: how many members, how many of them talk, how fast, for how long.</summary>
internal sealed record ChatBenchOptions
{
    /// <summary>Members connected; every one of them receives every message.</summary>
    public int Clients { get; init; } = 100;

    /// <summary>Members that also send (the first S of the clients).</summary>
    public int Senders { get; init; } = 1;

    /// <summary>Messages per second, all senders together; 0 sends as fast as the connection takes them.</summary>
    public double Rate { get; init; } = 1000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for every member to have seen every join before the clock starts.</summary>
    public TimeSpan JoinSettleLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long, after sending stops, receivers get to take what is still in flight.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>What a run measured. A delivery is one message arriving at one member.</summary>
internal sealed record ChatBenchResult(long Sent, long Delivered, TimeSpan SendTime, TimeSpan TotalTime, int ClientsLost, TimeSpan JoinSettleTime)
{
    /// <summary>Deliveries if no member was lost: every message to every member, the sender included.</summary>
    public long Expected(int clients) => Sent * clients;

    public double DeliveriesPerSecond => Delivered / TotalTime.TotalSeconds;
}
