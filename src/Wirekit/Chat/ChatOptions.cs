namespace Wirekit.Chat;

/// <summary>The chat room's rules. The outgoing queue bound per session is <see cref="Engines.ServerOptions.MaxQueuedBytes"/>.</summary>
public sealed record ChatOptions
{
    /// <summary>Longest message in bytes, terminator excluded; longer ones are dropped with an error notice. Default 4096.</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    /// <summary>Send each broadcast back to its sender too, as the seed's server does. Default true; false is ncat's broker style.</summary>
    public bool EchoSender { get; init; } = true;

    /// <summary>Sustained messages per second per session (token bucket); 0 turns the limit off. Default 20.</summary>
    public double RateLimit { get; init; } = 20;

    /// <summary>Messages a session may send at once after a quiet spell. Default 40.</summary>
    public int Burst { get; init; } = 40;

    /// <summary>Identical messages allowed in a row before it counts as flooding; 0 turns the check off. Default 5.</summary>
    public int MaxRepeats { get; init; } = 5;

    /// <summary>Evict a member that has sent nothing for this long (announced as a timeout); null for never. Default null.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// How long the room waits for a newcomer's first message before announcing its join. A first message
    /// <c>/nick NAME</c> names the join notice (<c>-!- alice joined</c>, no rename after it); any other first message
    /// announces the join at once. A client that sends nothing (an <c>nc</c> lurker) is announced when this passes.
    /// Zero announces every newcomer on connect. Default 500 ms: a client's first bytes arrive with the end of the
    /// TCP handshake, whatever the round-trip time, so this only has to cover a slow client process.
    /// </summary>
    public TimeSpan JoinGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Message of the day shown to every newcomer; null for none.</summary>
    public string? Motd { get; init; }

    /// <summary>
    /// Mutual TLS: a member is named by its client certificate's common name (CN), and /nick is refused, so a name
    /// is as good as the certificate behind it. A member without a usable CN gets the default name. Default false.
    /// </summary>
    public bool NameFromCertificate { get; init; }

    /// <summary>
    /// A room for those who know this secret: a newcomer's first line must be <c>/pass SECRET</c> (compared in constant
    /// time); until it is, the newcomer is sent nothing and its lines go nowhere, and any other first line gets one
    /// error line and the connection closed (docs/chat-protocol.md). Null (the default) for an open room; empty is
    /// refused by <see cref="ChatService"/>'s constructor.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>One room across several servers through Redis or NATS; null for a room of this server alone.</summary>
    public ChatBackplaneOptions? Backplane { get; init; }
}
