using System.Buffers;
using System.Net.Sockets;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Blocking;

/// <summary>
/// A session driven by blocking calls on a thread of its own (the seed's iterative and thread-per-client servers).
/// The receiving thread flushes what its own callback queued; bytes queued from other threads (a chat broadcast)
/// go out on a writer thread started on first need, so a peer that stops reading blocks only its own writer.
/// </summary>
internal sealed class BlockingSession : Session
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int WriterStackSize = 256 * 1024;

    private readonly ManualResetEventSlim _drained = new(false);
    // A slim event, set by any thread and reset by the writer before it flushes: a broadcast to N members sets N of
    // them per message, and an AutoResetEvent (a kernel-style wait handle, on Linux behind one process-wide lock)
    // made that the bottleneck. A set that lands between the writer's wake and its reset is not lost: its bytes
    // were queued before the set, so the flush that follows the reset sends them.
    private readonly ManualResetEventSlim _flushRequested = new(false);
    private readonly Lock _writerLock = new();
    private Thread? _writer;

    public BlockingSession(long id, Socket socket, ServerContext context)
        : base(id, socket, context)
    {
    }

    /// <summary>Runs the session to its end on the calling thread. Never throws: every failure becomes a close reason.</summary>
    public void Run()
    {
        Open();
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            ReceiveLoop(buffer);
        }
        catch (Exception e)
        {
            CloseOnError(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Close(DisconnectReason.PeerClosed);
        StopWriter();
        if (OwesFinalFlush && Outbound.TryAcquireFlush())
        {
            FlushQueued();
        }

        Complete();
        _drained.Dispose();
        _flushRequested.Dispose();
    }

    protected override void ScheduleFlush()
    {
        lock (_writerLock)
        {
            if (_writer is null && !IsClosing)
            {
                var writer = new Thread(WriterLoop, WriterStackSize) { IsBackground = true, Name = $"wirekit-writer-{Id}" };
                try
                {
                    writer.Start();
                    _writer = writer;
                }
                catch (OutOfMemoryException)
                {
                    // No thread to be had: this session cannot be served, but the broadcaster that queued for it
                    // (whose call this is) must not pay for that.
                    Close(DisconnectReason.Error);
                    return;
                }
            }
        }

        SetQuietly(_flushRequested);
    }

    protected override void WakeReceiver() => SetQuietly(_drained);

    private void ReceiveLoop(byte[] buffer)
    {
        while (!IsClosing)
        {
            if (ShouldPauseReceiving)
            {
                _drained.Reset();
                if (EnterPause())
                {
                    _drained.Wait();
                    LeavePause();
                }

                continue;
            }

            var received = Socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                Close(SocketErrors.Classify(error));
                return;
            }

            if (received == 0)
            {
                return;
            }

            Deliver(buffer.AsSpan(0, received));
            if (Outbound.Count > 0 && Outbound.TryAcquireFlush())
            {
                FlushQueued();
            }
        }
    }

    private void WriterLoop()
    {
        while (true)
        {
            _flushRequested.Wait();
            _flushRequested.Reset();
            if (IsClosing)
            {
                return;
            }

            // If the gate is taken, its holder re-checks the queue when it lets go, so nothing waits unsent.
            if (Outbound.TryAcquireFlush())
            {
                FlushQueued();
            }
        }
    }

    private void StopWriter()
    {
        Thread? writer;
        lock (_writerLock)
        {
            writer = _writer;
        }

        SetQuietly(_flushRequested);
        writer?.Join();
    }

    private static void SetQuietly(ManualResetEventSlim handle)
    {
        try
        {
            handle.Set();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
