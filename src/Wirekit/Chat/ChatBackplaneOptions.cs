namespace Wirekit.Chat;

/// <summary>
/// One room across several chat servers through Redis or NATS (docs/chat-protocol.md, "Scale-out"). Set it as
/// <see cref="ChatOptions.Backplane"/>.
/// </summary>
public sealed record ChatBackplaneOptions
{
    /// <summary>
    /// Where the backplane is: <c>redis://[:password@]host[:port]</c>, <c>rediss://</c> (TLS),
    /// <c>nats://[user:password@]host[:port]</c> or <c>tls://</c> (NATS over TLS); <c>?timeout=SECONDS</c> bounds
    /// the connect (default 5).
    /// </summary>
    public required string Url { get; init; }

    /// <summary>The room's name: servers with the same backplane and room are one room. Default <c>lobby</c>.</summary>
    public string Room { get; init; } = "lobby";

    /// <summary>This server's name in <c>/who</c> and in node-loss notices; unique per room. Default: host name and process id.</summary>
    public string? NodeName { get; init; }

    /// <summary>How often this server says it is alive. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Heartbeats of another server missed in a row before it counts as lost. Default 3.</summary>
    public int MissedHeartbeats { get; init; } = 3;

    /// <summary>Events waiting to be published; past it an event reaches this server's members only. Default 10,000.</summary>
    public int PublishQueueLimit { get; init; } = 10_000;

    /// <summary>What is wrong with <paramref name="options"/> (its URL, room or node name, its bounds), in a sentence; null when nothing is.</summary>
    public static string? Problem(ChatBackplaneOptions options)
    {
        try
        {
            Backplane.BackplaneUrl.Parse(options.Url);
        }
        catch (FormatException e)
        {
            return e.Message;
        }

        return Backplane.NodeNames.Check(options.Room, "room")
            ?? (options.NodeName is { } node ? Backplane.NodeNames.Check(node) : null)
            ?? (options.HeartbeatInterval <= TimeSpan.Zero || options.MissedHeartbeats < 1 || options.PublishQueueLimit < 1
                ? "the heartbeat interval, missed heartbeats and publish queue limit must be positive"
                : null);
    }

    /// <summary>
    /// What makes the backplane server itself unable to carry a room, in a sentence (a NATS server without JetStream);
    /// null when nothing does, or when it cannot be reached now (a node keeps retrying that). Call it after
    /// <see cref="Problem"/> found nothing.
    /// </summary>
    public static Task<string?> ServerProblemAsync(ChatBackplaneOptions options, CancellationToken cancellationToken)
    {
        var url = Backplane.BackplaneUrl.Parse(options.Url);
        return url.System == Backplane.BackplaneSystem.Nats ? Backplane.NatsJetStreamCheck.ProblemAsync(url, cancellationToken) : Task.FromResult<string?>(null);
    }
}
