using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Async;

/// <summary>
/// A session on the completion-based engine (IOCP on Windows, epoll behind .NET's socket engine on Linux).
/// Receive loop: a non-blocking recv into a pooled buffer while the kernel has data; when it would block, a
/// zero-byte receive hands the wait to the OS with no buffer held, so 10,000 idle peers cost no 64 KiB each.
/// What the service queued is flushed inline, by a non-blocking send, falling back to an awaited one. Bytes queued from other threads are flushed by a second loop woken through an <see cref="AsyncSignal"/>,
/// so a broadcaster never waits on this peer.
/// </summary>
internal sealed class AsyncSession : Session
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly AsyncSignal _flushRequested = new();
    private readonly AsyncSignal _drained = new();
    private int _receivePaused;

    public AsyncSession(long id, Socket socket, ServerContext context)
        : base(id, socket, context)
    {
        // Non-blocking for the synchronous attempts; the async operations do not depend on this flag.
        socket.Blocking = false;
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

            // Read what the kernel already holds with a plain non-blocking recv, as the C epoll server does; only
            // when it would block do we hand the wait to the OS, with no buffer held.
            var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            int received;
            SocketError error;
            try
            {
                received = Socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out error);
                if (error == SocketError.Success && received > 0)
                {
                    Deliver(buffer.AsSpan(0, received));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (error == SocketError.WouldBlock)
            {
                await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                continue;
            }

            if (error != SocketError.Success)
            {
                Close(SocketErrors.Classify(error));
                return;
            }

            if (received == 0)
            {
                return;
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
        // The receive loop has ended before this runs and its inline flush with it, so the gate is free unless a
        // send failed; then the socket is broken and there is nothing left to deliver.
        if (Outbound.Count > 0 && Outbound.TryAcquireFlush())
        {
            await FlushAsync().ConfigureAwait(false);
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
                    // Non-blocking send first: the kernel usually has room, and then no completion round trip is needed.
                    var sent = Socket.Send(segment.Array!, segment.Offset, segment.Count, SocketFlags.None, out var error);
                    if (error == SocketError.WouldBlock)
                    {
                        sent = await Socket.SendAsync(segment.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    }
                    else if (error != SocketError.Success)
                    {
                        throw new SocketException((int)error);
                    }

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
            // The gate stays taken: nobody may flush a socket that failed, and the session is closing.
            CloseOnError(e);
        }
    }
}
