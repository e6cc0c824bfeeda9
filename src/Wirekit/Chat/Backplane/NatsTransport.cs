using System.Threading.Channels;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Wirekit.Chat.Backplane;

/// <summary>
/// The channel on NATS: nodes publish on the subject <c>wirekit.chat.ROOM</c> with core NATS, and read the room's
/// JetStream stream, which captures that subject (<see cref="NatsStream"/>): core NATS alone orders each
/// publisher's messages only, the stream's sequence orders all of them alike. Each node reads through an ordered
/// consumer from the event after the stream's last at the time it (re)connects, so nothing is replayed.
/// The connection reconnects by itself (0.5 s doubling to 10 s, forever); each time it is back, or when the node
/// fell so far behind that the stream discarded events it had not read, the node reads on from "now" in a new
/// session, and reports the loss and the restore. Publishes while away fail at once, so the node delivers locally.
/// </summary>
internal sealed class NatsTransport(BackplaneUrl url, string room, NatsStreamLimits limits) : IBackplaneTransport
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly string _subject = NatsStream.Subject(room);
    private readonly CancellationTokenSource _stopping = new();

    // Why a new session is wanted; one pending request is enough (a later one says the same).
    private readonly Channel<string> _reopen = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Lock _gate = new();
    private NatsConnection? _nats;
    private NatsJSContext? _js;
    private IBackplaneReceiver? _receiver;
    private (CancellationTokenSource Cancel, Task Reader)? _session;
    private Task _sessions = Task.CompletedTask;
    private int _lost;

    public NatsTransport(BackplaneUrl url, string room)
        : this(url, room, NatsStreamLimits.Default)
    {
    }

    public string Description => url.Display;

    public bool IsConnected => _nats is { ConnectionState: NatsConnectionState.Open } && Volatile.Read(ref _lost) == 0;

    /// <summary>How every Wirekit connection to <paramref name="url"/> is made: the node's, and the start-up check's (<see cref="NatsJetStreamCheck"/>).</summary>
    internal static NatsOpts Options(BackplaneUrl url, NatsStreamLimits limits) => NatsOpts.Default with
    {
        Url = $"{(url.Tls ? "tls" : "nats")}://{(url.Host.Contains(':', StringComparison.Ordinal) ? $"[{url.Host}]" : url.Host)}:{url.Port}",
        Name = "wirekit-chat",
        AuthOpts = NatsAuthOpts.Default with { Username = url.User, Password = url.Password },
        TlsOpts = NatsTlsOpts.Default with { Mode = url.Tls ? TlsMode.Require : TlsMode.Disable },
        ConnectTimeout = url.ConnectTimeout,
        RequestTimeout = url.ConnectTimeout,
        ReconnectWaitMin = FirstRetry,
        ReconnectWaitMax = LastRetry,
        MaxReconnectRetry = -1,
        SubPendingChannelCapacity = limits.PendingMessages,
        SuppressSlowConsumerWarnings = true,
    };

    public async Task ConnectAsync(IBackplaneReceiver receiver, CancellationToken cancellationToken)
    {
        var nats = new NatsConnection(Options(url, limits));
        _receiver = receiver;
        try
        {
            await nats.ConnectAsync().AsTask().WaitAsync(url.ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            _js = new NatsJSContext(nats);
            await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await nats.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        nats.ConnectionDisconnected += (_, e) =>
        {
            Lost(e.Message);
            return ValueTask.CompletedTask;
        };
        nats.ConnectionOpened += (_, _) =>
        {
            _reopen.Writer.TryWrite("reconnected");
            return ValueTask.CompletedTask;
        };
        _nats = nats;
        _sessions = SessionsAsync(_stopping.Token);
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
        _reopen.Writer.TryComplete();
        await _sessions.ConfigureAwait(false);
        await CloseSessionAsync().ConfigureAwait(false);
        if (_nats is { } nats)
        {
            await nats.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Opens a new session for each request, retrying with backoff while the stream cannot be reached.</summary>
    private async Task SessionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var why in _reopen.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var first = true;
                for (var delay = FirstRetry; ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks)))
                {
                    try
                    {
                        await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
                        Restored();
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Lost already (the disconnect said so): still say once why the reconnection did not restore it.
                        var reason = $"{why}, but the stream cannot be read: {e.Message}";
                        if (!Lost(reason) && first)
                        {
                            _receiver?.OnStillUnusable(reason);
                        }

                        first = false;
                    }

                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ends the session in place, if any, and starts reading the stream from the event after its last one now.</summary>
    private async Task OpenSessionAsync(CancellationToken cancellationToken)
    {
        await CloseSessionAsync().ConfigureAwait(false);
        var js = _js!;
        var last = await NatsStream.EnsureAsync(js, room, limits, cancellationToken).ConfigureAwait(false);
        // From a sequence rather than DeliverPolicy.New: the ordered consumer is created on the server only once
        // reading starts, and what is published in between must not be missed (the node's hello, a first claim).
        var consumer = await js.CreateOrderedConsumerAsync(NatsStream.Name(room), new NatsJSOrderedConsumerOpts
        {
            FilterSubjects = [_subject],
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = last + 1,
            // A consumer left behind by a node that died goes away on its own.
            InactiveThreshold = TimeSpan.FromSeconds(30),
        }, cancellationToken).ConfigureAwait(false);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        lock (_gate)
        {
            _session = (cancel, ReadAsync(consumer, last + 1, cancel.Token));
        }
    }

    private async Task CloseSessionAsync()
    {
        (CancellationTokenSource Cancel, Task Reader)? session;
        lock (_gate)
        {
            session = _session;
            _session = null;
        }

        if (session is var (cancel, reader))
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
            cancel.Dispose();
        }
    }

    private void CancelSession()
    {
        lock (_gate)
        {
            _session?.Cancel.Cancel();
        }
    }

    /// <summary>
    /// Hands the stream's events to the node in the stream's order, from <paramref name="next"/> on. The ordered
    /// consumer re-reads by itself what the client dropped (its pending buffer full: the node lagging); what the
    /// stream itself discarded meanwhile shows as a jump in the stream's sequence, which ends the session.
    /// </summary>
    private async Task ReadAsync(INatsJSConsumer consumer, ulong next, CancellationToken cancellationToken)
    {
        var receiver = _receiver!;
        try
        {
            await foreach (var message in consumer.ConsumeAsync<NatsMemoryOwner<byte>>(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                using var data = message.Data;
                var sequence = message.Metadata?.Sequence.Stream ?? next;
                if (sequence > next)
                {
                    receiver.OnSlowConsumer();
                    Lost($"this server fell behind: the stream discarded {sequence - next} events before it read them; reading on from now");
                    _reopen.Writer.TryWrite("fell behind");
                    return;
                }

                next = sequence + 1;
                receiver.OnMessage(data.Span);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Lost("reading the stream failed: " + e.Message);
            _reopen.Writer.TryWrite("stream read failed");
        }
        catch (Exception)
        {
            // The session was ended (a disconnect, the stop) while the consumer cleaned up: nothing to report.
        }
    }

    /// <summary>Ends the session and reports the loss, unless it was reported already; true when this call reported it.</summary>
    private bool Lost(string why)
    {
        CancelSession();
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _receiver?.OnLost(why);
            return true;
        }

        return false;
    }

    private void Restored()
    {
        if (Interlocked.Exchange(ref _lost, 0) == 1)
        {
            _receiver?.OnRestored();
        }
    }
}
