using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Async;

/// <summary>
/// A session on the completion-based engine (IOCP on Windows, epoll behind .NET's socket engine on Linux).
/// Receive loop: a zero-byte receive waits for data so an idle connection holds no buffer (10,000 idle peers cost
/// no 64 KiB each), then a pooled buffer is filled, handed to the service, and what the service queued is flushed
/// inline. Bytes queued from other threads are flushed by a second loop woken through an <see cref="AsyncSignal"/>,
/// so a broadcaster never waits on this peer.
/// </summary>
internal sealed class AsyncSession : Session
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly AsyncSignal _flushRequested = new();
    private readonly AsyncSignal _drained = new();
    private int _receivePaused;
    private volatile bool _sendFailed;

    public AsyncSession(long id, Socket socket, ServerContext context)
        : base(id, socket, context)
    {
    }

    /// <summary>Runs the session to its end. Never throws: every failure becomes a close reason.</summary>
    public async Task RunAsync()
    {
        Open();
        var sendLoop = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CloseOnError(e);
        }

        Close(DisconnectReason.PeerClosed);
        _flushRequested.Set();
        await sendLoop.ConfigureAwait(false);
        Complete();
    }

    protected override void ScheduleFlush() => _flushRequested.Set();

    protected override void OnCloseRequested(DisconnectReason reason)
    {
        if (SocketErrors.FlushesBeforeClose(reason))
        {
            TryShutdownReceive();
        }
        else
        {
            // Nothing more is owed to this peer: abort the socket so both loops fail fast.
            Socket.Dispose();
        }

        _drained.Set();
        _flushRequested.Set();
    }

    private async Task ReceiveLoopAsync()
    {
        while (!IsClosing)
        {
            if (ShouldPauseReceiving)
            {
                await WaitUntilDrainedAsync().ConfigureAwait(false);
                continue;
            }

            await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            try
            {
                var received = await Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    return;
                }

                Deliver(buffer.AsSpan(0, received));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (Outbound.Count > 0 && Outbound.TryAcquireFlush())
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask WaitUntilDrainedAsync()
    {
        Volatile.Write(ref _receivePaused, 1);
        // Re-check after publishing the flag: a flusher that drained in between saw no flag and set nothing.
        if (ShouldPauseReceiving && !IsClosing)
        {
            await _drained.WaitAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _receivePaused, 0);
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            await _flushRequested.WaitAsync().ConfigureAwait(false);
            if (IsClosing)
            {
                break;
            }

            // If the gate is taken, its holder re-checks the queue when it lets go, so nothing waits unsent.
            if (Outbound.TryAcquireFlush())
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        // Closing: the last bytes still go out when the reason allows (peer half-closed, /quit, shutdown).
        if (SocketErrors.FlushesBeforeClose(CloseReason))
        {
            await WaitForGateAndFlushAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask WaitForGateAndFlushAsync()
    {
        // The receive loop has ended before this runs, so the only other gate holder is a flush already finishing.
        // After a failed send nothing more can go out: without the check, a reset that reached the receive loop as
        // end of stream (PeerClosed, a flushing reason) would spin here forever on bytes that cannot be sent.
        while (Outbound.Count > 0 && !_sendFailed)
        {
            if (Outbound.TryAcquireFlush())
            {
                await FlushAsync().ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Sends until the queue is empty. The caller holds the flush gate; it is released here.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync()
    {
        try
        {
            do
            {
                while (Outbound.TryPeek(out var segment))
                {
                    var sent = await Socket.SendAsync(segment.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    Outbound.Advance(sent);
                    if (Volatile.Read(ref _receivePaused) != 0 && !ShouldPauseReceiving)
                    {
                        _drained.Set();
                    }
                }
            }
            while (Outbound.ReleaseFlush());
        }
        catch (Exception e)
        {
            _sendFailed = true;
            Outbound.ReleaseFlush();
            CloseOnError(e);
        }
    }
}
