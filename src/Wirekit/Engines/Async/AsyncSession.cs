using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Async;

/// <summary>
/// A session on the completion-based engine (IOCP on Windows, epoll behind .NET's socket engine on Linux).
/// Receive loop: an awaited receive into a small pooled buffer waits for the OS (10,000 idle peers cost 4 KiB each,
/// not 64); when a read fills its buffer, plain non-blocking recvs into a 64 KiB buffer take the rest without an
/// epoll round trip. A short read means the socket is drained, so no recv is spent only to learn EAGAIN.
/// What the service queued is flushed inline, by a non-blocking send, falling back to an awaited one. Bytes queued from other threads are flushed by a second loop woken through an <see cref="AsyncSignal"/>,
/// so a broadcaster never waits on this peer.
/// </summary>
internal sealed class AsyncSession : Session
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int WaitBufferSize = 4 * 1024;

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
        var expectMore = false;
        while (!IsClosing)
        {
            int received;
            bool filled;
            if (expectMore)
            {
                // The last read filled its buffer, so more is probably waiting: read it with a plain non-blocking
                // recv into a large buffer, as the C epoll server does, without an epoll round trip.
                var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                SocketError error;
                try
                {
                    received = Socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out error);
                    if (error == SocketError.Success && received > 0)
                    {
                        Deliver(buffer.AsSpan(0, received));
                    }

                    filled = received == buffer.Length;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (error == SocketError.WouldBlock)
                {
                    received = -1;
                    filled = false;
                }
                else if (error != SocketError.Success)
                {
                    Close(SocketErrors.Classify(error));
                    return;
                }
            }
            else
            {
                // Wait for the OS with a small buffer: an idle connection holds 4 KiB, not 64, and a short read
                // (the common case: a request, a chat line) completes the wait and the read in one go.
                var buffer = ArrayPool<byte>.Shared.Rent(WaitBufferSize);
                try
                {
                    received = await Socket.ReceiveAsync(buffer.AsMemory(0, WaitBufferSize), SocketFlags.None).ConfigureAwait(false);
                    if (received > 0)
                    {
                        Deliver(buffer.AsSpan(0, received));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                filled = received == WaitBufferSize;
            }

            if (received == 0)
            {
                return;
            }

            expectMore = filled;
            if (filled && !ShouldPauseReceiving)
            {
                continue; // keep reading; the echoes of several reads leave in one send
            }

            if (Outbound.Count > 0 && Outbound.TryAcquireFlush())
            {
                await FlushAsync().ConfigureAwait(false);
            }

            if (ShouldPauseReceiving)
            {
                // Another thread's flush holds the gate (a broadcast, say): wait for the peer to take its bytes.
                await WaitUntilDrainedAsync().ConfigureAwait(false);
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
