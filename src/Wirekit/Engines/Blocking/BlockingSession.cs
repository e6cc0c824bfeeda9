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
    private int _receivePaused;

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
        if (SocketErrors.FlushesBeforeClose(CloseReason) && Outbound.TryAcquireFlush())
        {
            Flush();
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
                _writer = new Thread(WriterLoop, WriterStackSize) { IsBackground = true, Name = $"wirekit-writer-{Id}" };
                _writer.Start();
            }
        }

        SetQuietly(_flushRequested);
    }

    protected override void OnCloseRequested(DisconnectReason reason)
    {
        if (SocketErrors.FlushesBeforeClose(reason))
        {
            TryShutdownReceive();
        }
        else
        {
            // Disposing unblocks the receive and any send stuck on a full window (.NET shuts the socket down first).
            Socket.Dispose();
        }

        try
        {
            _drained.Set();
        }
        catch (ObjectDisposedException)
        {
        }

        SetQuietly(_flushRequested);
    }

    private void ReceiveLoop(byte[] buffer)
    {
        while (!IsClosing)
        {
            if (ShouldPauseReceiving)
            {
                WaitUntilDrained();
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
                Flush();
            }
        }
    }

    private void WaitUntilDrained()
    {
        _drained.Reset();
        Volatile.Write(ref _receivePaused, 1);
        // Re-check after publishing the flag: a flusher that drained in between saw no flag and set nothing.
        if (ShouldPauseReceiving && !IsClosing)
        {
            _drained.Wait();
        }

        Volatile.Write(ref _receivePaused, 0);
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
                Flush();
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

    /// <summary>Sends until the queue is empty. The caller holds the flush gate; it is released here.</summary>
    private void Flush()
    {
        do
        {
            while (Outbound.TryPeek(out var segment))
            {
                int sent;
                SocketError error;
                try
                {
                    sent = Socket.Send(segment.Array!, segment.Offset, segment.Count, SocketFlags.None, out error);
                }
                catch (ObjectDisposedException e)
                {
                    // A reset or abort on another thread disposed the socket between the peek and the send; on the
                    // writer thread an escaping exception would end the whole process. The gate stays taken.
                    CloseOnError(e);
                    return;
                }

                if (error != SocketError.Success)
                {
                    // The gate stays taken: nobody may flush a socket that failed, and the session is closing.
                    Close(SocketErrors.Classify(error));
                    return;
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
