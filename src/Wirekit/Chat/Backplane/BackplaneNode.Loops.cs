using System.Diagnostics;

namespace Wirekit.Chat.Backplane;

/// <summary>The node's four loops, each an owned task that ends on <see cref="_stopping"/> and is awaited on dispose.</summary>
internal sealed partial class BackplaneNode
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    // How long a hello may take to come back before it is said again: a round trip on a working backplane is a
    // millisecond or so; a second keeps a slow one from being asked twice.
    private static readonly TimeSpan HelloRetry = TimeSpan.FromSeconds(1);

    // What the publisher may still send after the room's Bye, before the transport closes under it.
    private static readonly TimeSpan ByeFlushLimit = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task _connecting = Task.CompletedTask;
    private Task _publishing = Task.CompletedTask;
    private Task _heartbeats = Task.CompletedTask;
    private Task _hellos = Task.CompletedTask;

    /// <summary>Joins the room's events to the channel: from now on the room's actions go through this node.</summary>
    public void Start()
    {
        _room.Relay = this;
        _connecting = ConnectAsync(_stopping.Token);
        _publishing = PublishAsync(_stopping.Token);
        _heartbeats = HeartbeatAsync(_stopping.Token);
        _hellos = HelloAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        // The Bye (and what was said just before it) still leaves, within a limit: a dead backplane cannot hold up the stop.
        await _publishing.WaitAsync(ByeFlushLimit).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _stopping.Cancel();
        await Task.WhenAll(_connecting, _publishing, _heartbeats, _hellos).ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>The first connection, retried with backoff; once connected the transport reconnects by itself.</summary>
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _transport.ConnectAsync(this, cancellationToken).ConfigureAwait(false);
                OnRestored();
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                BackplaneLog.Unavailable(_logger, Description, e.Message, delay.TotalSeconds);
                if (!_everUnavailable)
                {
                    _everUnavailable = true;
                    _room.Notify(ChatWording.BackplaneUnavailable);
                }
            }

            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var outgoing in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (outgoing.Sequence <= Volatile.Read(ref _floor))
                {
                    continue; // applied locally when the connection was lost
                }

                try
                {
                    await _transport.PublishAsync(outgoing.Bytes, cancellationToken).ConfigureAwait(false);
                    Metrics.BackplanePublished();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    OnLost("publish failed: " + e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Says hello again while the last one has not come back from the channel after <see cref="HelloRetry"/>.</summary>
    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HelloRetry);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                bool again;
                lock (_gate)
                {
                    again = _connected && !_helloHeard && Stopwatch.GetElapsedTime(_helloSent) >= HelloRetry;
                }

                if (again)
                {
                    SayHello();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Says this node is alive every interval, and declares lost a node silent for <see cref="ChatBackplaneOptions.MissedHeartbeats"/> intervals.</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var interval = _options.HeartbeatInterval;
        var silenceLimit = interval * _options.MissedHeartbeats;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                List<(long Id, string Name, TimeSpan Silence)> lost;
                bool recovered;
                lock (_gate)
                {
                    // Offline after a failed publish that the library never reported as a loss: no "restored"
                    // event will come, so the node looks for itself.
                    recovered = !_connected && _connectedOnce && _transport.IsConnected;
                }

                if (recovered)
                {
                    OnRestored();
                }

                lock (_gate)
                {
                    if (!_connected)
                    {
                        continue;
                    }

                    var now = Stopwatch.GetTimestamp();
                    lost = [.. _nodes.Select(node => (node.Key, node.Value.Name, Silence: Stopwatch.GetElapsedTime(node.Value.LastHeard, now)))
                        .Where(node => node.Silence > silenceLimit)];
                    foreach (var node in lost)
                    {
                        _nodes.Remove(node.Id);
                    }
                }

                Submit(BackplaneKind.Heartbeat, 0, null, default, null);
                foreach (var (id, name, silence) in lost)
                {
                    BackplaneLog.NodeLost(_logger, name, Math.Round(silence.TotalSeconds, 1));
                    Submit(BackplaneKind.NodeLost, id, name, default, null);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
