using System.Threading.Channels;
using Wirekit.Chat.Backplane;

namespace Wirekit.Tests.Backplane;

/// <summary>
/// A channel in this process: what a Redis or NATS server does for the room, without one. One hub, one total order
/// (publishes take a lock), and each subscriber reads its copy in that order on a task of its own. It can be
/// "stopped" (every transport hears the loss and publishes fail) and started again.
/// </summary>
internal sealed class InProcessBackplane
{
    private readonly Lock _lock = new();
    private readonly List<Transport> _subscribers = [];
    private readonly List<byte[]> _held = [];
    private bool _running = true;
    private bool _paused;
    private int _missedAfterStart;

    public IBackplaneTransport CreateTransport() => new Transport(this);

    public void Publish(ReadOnlySpan<byte> message)
    {
        lock (_lock)
        {
            if (!_running)
            {
                throw new InvalidOperationException("the in-process backplane is stopped");
            }

            if (_paused)
            {
                _held.Add(message.ToArray());
                return;
            }

            Deliver(message.ToArray());
        }
    }

    /// <summary>Takes publishes but delivers nothing until <see cref="Resume"/>: a backplane that fell behind.</summary>
    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
        }
    }

    public void Resume()
    {
        lock (_lock)
        {
            _paused = false;
            foreach (var message in _held)
            {
                Deliver(message);
            }

            _held.Clear();
        }
    }

    private void Deliver(byte[] message)
    {
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Missing > 0)
            {
                subscriber.Missing--;
                continue;
            }

            subscriber.Inbox.Writer.TryWrite(message);
        }
    }

    public void Stop() => SetRunning(false);

    public void Start() => SetRunning(true);

    /// <summary>
    /// Starts again as Redis does it: every transport reports the connection back at once, but each subscription is
    /// in place on the server only after <paramref name="missed"/> more publishes have gone by, which it never gets.
    /// </summary>
    public void StartWithLateSubscriptions(int missed)
    {
        lock (_lock)
        {
            _missedAfterStart = missed;
        }

        SetRunning(true);
    }

    private void SetRunning(bool running)
    {
        Transport[] subscribers;
        lock (_lock)
        {
            _running = running;
            subscribers = [.. _subscribers];
            foreach (var subscriber in subscribers)
            {
                subscriber.Missing = running ? _missedAfterStart : 0;
            }

            _missedAfterStart = 0;
        }

        foreach (var subscriber in subscribers)
        {
            if (running)
            {
                subscriber.Receiver?.OnRestored();
            }
            else
            {
                subscriber.Receiver?.OnLost("stopped");
            }
        }
    }

    private sealed class Transport(InProcessBackplane hub) : IBackplaneTransport
    {
        private Task _reader = Task.CompletedTask;

        public Channel<byte[]> Inbox { get; } = Channel.CreateUnbounded<byte[]>(new() { SingleReader = true });

        public IBackplaneReceiver? Receiver { get; private set; }

        /// <summary>Publishes this subscription has yet to miss (under the hub's lock).</summary>
        public int Missing { get; set; }

        public string Description => "in-process";

        public bool IsConnected
        {
            get
            {
                lock (hub._lock)
                {
                    return hub._running;
                }
            }
        }

        public Task ConnectAsync(IBackplaneReceiver receiver, CancellationToken cancellationToken)
        {
            lock (hub._lock)
            {
                if (!hub._running)
                {
                    throw new InvalidOperationException("the in-process backplane is stopped");
                }

                Receiver = receiver;
                hub._subscribers.Add(this);
            }

            _reader = Task.Run(async () =>
            {
                await foreach (var message in Inbox.Reader.ReadAllAsync(CancellationToken.None))
                {
                    receiver.OnMessage(message);
                }
            }, CancellationToken.None);
            return Task.CompletedTask;
        }

        public ValueTask PublishAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            hub.Publish(message.Span);
            return ValueTask.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            lock (hub._lock)
            {
                hub._subscribers.Remove(this);
            }

            Inbox.Writer.TryComplete();
            await _reader;
        }
    }
}
