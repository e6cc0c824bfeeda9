using StackExchange.Redis;

namespace Wirekit.Chat.Backplane;

/// <summary>
/// The channel on Redis pub/sub: one multiplexer per node (one connection publishes, one subscribes), the channel
/// <c>wirekit:chat:ROOM</c>. Redis delivers a channel's messages in the order its one thread received them, and
/// <see cref="ChannelMessageQueue"/> hands them on one at a time in that order. Publishes are fire-and-forget on
/// the one connection, so they stay in the order made; while disconnected they fail at once (no backlog: the node
/// delivers locally instead, and says so).
/// </summary>
internal sealed class RedisTransport(BackplaneUrl url, string room) : IBackplaneTransport
{
    private readonly RedisChannel _channel = RedisChannel.Literal($"wirekit:chat:{room}");
    private ConnectionMultiplexer? _redis;
    private ChannelMessageQueue? _subscription;
    private IBackplaneReceiver? _receiver;
    private int _lost;

    public string Description => url.Display;

    public bool IsConnected => _redis is { IsConnected: true } redis && redis.GetSubscriber().IsConnected(_channel);

    public async Task ConnectAsync(IBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        _receiver = receiver;
        var timeout = (int)url.ConnectTimeout.TotalMilliseconds;
        var options = new ConfigurationOptions
        {
            EndPoints = { { url.Host, url.Port } },
            User = url.User,
            Password = url.Password,
            Ssl = url.Tls,
            SslHost = url.Tls ? url.Host : null,
            ConnectTimeout = timeout,
            SyncTimeout = timeout,
            AsyncTimeout = timeout,
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(500, 10_000),
            KeepAlive = 5,
            ClientName = "wirekit-chat",
        };
        var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            redis.ConnectionFailed += (_, e) => Lost(e.FailureType + (e.Exception is { } x ? ": " + x.Message : ""));
            // Either connection may come back first: restored once both are (publishing and subscribed).
            redis.ConnectionRestored += (_, _) => Restored();
            _subscription = await redis.GetSubscriber().SubscribeAsync(_channel).WaitAsync(cancellationToken).ConfigureAwait(false);
            _subscription.OnMessage(message =>
            {
                var value = message.Message;
                receiver.OnMessage(((ReadOnlyMemory<byte>)value).Span);
            });
        }
        catch
        {
            await redis.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _redis = redis;
    }

    public ValueTask PublishAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var redis = _redis ?? throw new InvalidOperationException("not connected");
        if (Volatile.Read(ref _lost) != 0 || !redis.IsConnected)
        {
            throw new InvalidOperationException("backplane connection lost");
        }

        // Redis keeps the array until it is written: the node's arrays are its own, never pooled, so none is copied.
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : message.ToArray();
        redis.GetSubscriber().Publish(_channel, bytes, CommandFlags.FireAndForget);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is { } subscription)
        {
            await subscription.UnsubscribeAsync().ConfigureAwait(false);
        }

        if (_redis is { } redis)
        {
            await redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The multiplexer reports each of its two connections: the node hears one loss and one restore.
    private void Lost(string why)
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _receiver?.OnLost(why);
        }
    }

    private void Restored()
    {
        if (IsConnected && Interlocked.Exchange(ref _lost, 0) == 1)
        {
            _receiver?.OnRestored();
        }
    }
}
