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
/// What the service queued is flushed inline, by non-blocking sends, waiting for room with an awaited send. Bytes
/// queued from other threads are flushed by a second loop woken through an <see cref="AsyncSignal"/>, so a
/// broadcaster never waits on this peer.
/// </summary>
internal sealed class AsyncSession : Session
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int WaitBufferSize = 4 * 1024;

    private readonly AsyncSignal _flushRequested = new();
    private readonly AsyncSignal _drained = new();

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

    protected override void WakeReceiver() => _drained.Set();

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

            // Another thread's flush may hold the gate (a broadcast, say): wait for the peer to take its bytes.
            if (ShouldPauseReceiving && EnterPause())
            {
                await _drained.WaitAsync().ConfigureAwait(false);
                LeavePause();
            }
        }
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

        // Closing: the last bytes still go out when the reason allows (peer half-closed, /quit, shutdown). The receive
        // loop has ended before this runs, and its inline flush with it, so the gate is free unless a send failed.
        if (OwesFinalFlush && Outbound.TryAcquireFlush())
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends until the queue is empty, awaiting room when the kernel has none. The caller holds the flush gate.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync()
    {
        while (FlushQueued() == FlushResult.WouldBlock)
        {
            if (!Outbound.TryPeek(out var segment))
            {
                continue; // disposed under us: the next pass finds the queue empty and lets the gate go
            }

            try
            {
                Sent(await Socket.SendAsync(segment.AsMemory(), SocketFlags.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                FailSend(e);
                return;
            }
        }
    }
}
