namespace Wirekit.Chat.Backplane;

/// <summary>
/// What a messaging system must do to carry a room across nodes: deliver every message published on one channel to
/// every subscriber, in one order, and say when it loses and regains its server. It knows nothing of chat: the
/// envelope and everything done with it are <see cref="BackplaneNode"/>'s.
/// </summary>
internal interface IBackplaneTransport : IAsyncDisposable
{
    /// <summary>The URL without its password, for the banner and the logs.</summary>
    string Description { get; }

    /// <summary>
    /// Connects and subscribes to the channel, or throws (within the URL's connect timeout) when the server cannot be
    /// reached. Once connected, the transport reconnects by itself and reports through <paramref name="receiver"/>.
    /// </summary>
    Task ConnectAsync(IBackplaneReceiver receiver, CancellationToken cancellationToken);

    /// <summary>
    /// Connected and subscribed, as far as the client library can tell: the node asks when a publish failed without
    /// the library reporting a loss, so it comes back even when no "restored" event follows.
    /// </summary>
    bool IsConnected { get; }

    /// <summary>Publishes one message; the transport keeps it only until it is written. Throws when disconnected.</summary>
    ValueTask PublishAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}

/// <summary>What a transport tells its node. Calls come from the transport's threads, <see cref="OnMessage"/> one at a time in channel order.</summary>
internal interface IBackplaneReceiver
{
    void OnMessage(ReadOnlySpan<byte> message);

    /// <summary>The connection to the server (or the subscription) is gone; the transport is reconnecting.</summary>
    void OnLost(string why);

    /// <summary>Connected and subscribed again.</summary>
    void OnRestored();

    /// <summary>
    /// The server answers again, but the channel still cannot be used there (a NATS server without JetStream): said
    /// once per reconnection, while the transport keeps retrying, so the log says why nothing is restored.
    /// </summary>
    void OnStillUnusable(string why);

    /// <summary>The client dropped messages it could not hand over fast enough (NATS's slow consumer).</summary>
    void OnSlowConsumer();
}
