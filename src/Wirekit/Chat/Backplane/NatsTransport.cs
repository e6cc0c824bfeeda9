using NATS.Client.Core;

namespace Wirekit.Chat.Backplane;

/// <summary>
/// The channel on a NATS core subject, <c>wirekit.chat.ROOM</c>: the server delivers one subject's messages from
/// one connection in the order published, and one subscription reads them in that order. The connection
/// reconnects by itself (0.5 s doubling to 10 s, forever) and resubscribes; publishes while it is away fail at once
/// instead of waiting, so the node delivers locally and says so.
/// </summary>
internal sealed class NatsTransport(BackplaneUrl url, string room) : IBackplaneTransport
{
    // Messages the client may hold for the node before it drops them (NATS's slow-consumer rule, counted as such).
    private const int PendingMessages = 65_536;

    private readonly string _subject = $"wirekit.chat.{room}";
    private readonly CancellationTokenSource _stopping = new();
    private NatsConnection? _nats;
    private Task _reader = Task.CompletedTask;
    private IBackplaneReceiver? _receiver;
    private int _lost;

    public string Description => url.Display;

    public bool IsConnected => _nats is { ConnectionState: NatsConnectionState.Open };

    public async Task ConnectAsync(IBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        var options = NatsOpts.Default with
        {
            Url = $"{(url.Tls ? "tls" : "nats")}://{(url.Host.Contains(':', StringComparison.Ordinal) ? $"[{url.Host}]" : url.Host)}:{url.Port}",
            Name = "wirekit-chat",
            AuthOpts = NatsAuthOpts.Default with { Username = url.User, Password = url.Password },
            TlsOpts = NatsTlsOpts.Default with { Mode = url.Tls ? TlsMode.Require : TlsMode.Disable },
            ConnectTimeout = url.ConnectTimeout,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(500),
            ReconnectWaitMax = TimeSpan.FromSeconds(10),
            MaxReconnectRetry = -1,
            SubPendingChannelCapacity = PendingMessages,
            SuppressSlowConsumerWarnings = true,
        };
        var nats = new NatsConnection(options);
        try
        {
            await nats.ConnectAsync().AsTask().WaitAsync(url.ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            nats.ConnectionDisconnected += (_, e) =>
            {
                Lost(e.Message);
                return ValueTask.CompletedTask;
            };
            nats.ConnectionOpened += (_, _) =>
            {
                Restored(receiver);
                return ValueTask.CompletedTask;
            };
            nats.MessageDropped += (_, _) =>
            {
                receiver.OnSlowConsumer();
                return ValueTask.CompletedTask;
            };
            var subscription = await nats.SubscribeCoreAsync<NatsMemoryOwner<byte>>(_subject, cancellationToken: cancellationToken).ConfigureAwait(false);
            _reader = ReadAsync(subscription, receiver, _stopping.Token);
        }
        catch
        {
            await nats.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _receiver = receiver;
        _nats = nats;
    }

    public async ValueTask PublishAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var nats = _nats ?? throw new InvalidOperationException("not connected");
        if (nats.ConnectionState != NatsConnectionState.Open)
        {
            throw new NatsException("backplane connection lost");
        }

        await nats.PublishAsync(_subject, message, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        if (_nats is { } nats)
        {
            await nats.DisposeAsync().ConfigureAwait(false);
        }

        await _reader.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static async Task ReadAsync(INatsSub<NatsMemoryOwner<byte>> subscription, IBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using var data = message.Data;
                receiver.OnMessage(data.Span);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Lost(string why)
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _receiver?.OnLost(why);
        }
    }

    private void Restored(IBackplaneReceiver receiver)
    {
        if (Interlocked.Exchange(ref _lost, 0) == 1)
        {
            receiver.OnRestored();
        }
    }
}
