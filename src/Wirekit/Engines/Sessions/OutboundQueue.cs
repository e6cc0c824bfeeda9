using System.Buffers;

namespace Wirekit.Engines.Sessions;

/// <summary>Outcome of queueing bytes for a peer.</summary>
internal enum EnqueueResult
{
    Queued,

    /// <summary>The bytes would push the queue past its bound; nothing was queued.</summary>
    Overflow,

    /// <summary>The session is finished; nothing was queued.</summary>
    Closed,
}

/// <summary>
/// Bytes waiting to be sent to one peer, in pooled 64 KiB chunks. Any thread may enqueue; one flusher at a time
/// (whoever holds the flush gate) peeks and advances. Bound: <c>limit</c> bytes; past it an enqueue is refused and
/// the session's policy applies (echo pauses reading long before; chat drops the slow consumer).
/// An empty queue holds no chunk, so an idle session holds no buffer.
/// With <see cref="KeepsBoundaries"/> set, the queue also remembers where each enqueued message ends and
/// <see cref="TryPeek"/> never hands out more than one, so each reaches the kernel in a send of its own (a peer that
/// reads one message per recv needs that); the lengths live in a pooled ring, so this costs no allocation per message.
/// </summary>
internal sealed class OutboundQueue : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly int _limit;
    private Chunk[] _ring = new Chunk[4];
    private int _head;
    private int _chunkCount;
    private int _count;
    private int _flushGate;
    private bool _disposed;
    private bool _keepsBoundaries;
    private MessageLengths _messages;

    public OutboundQueue(int limit) => _limit = limit;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Each message (one <see cref="Enqueue"/>) leaves in its own send instead of being coalesced with its neighbours.
    /// Bytes already queued when this is turned on count as one message; turning it off merges what follows into the
    /// last message still queued.
    /// </summary>
    public bool KeepsBoundaries
    {
        // Read without the lock: a session asks on every send whether it may hold its flush back (FlushCoalescer).
        get => Volatile.Read(ref _keepsBoundaries);

        set
        {
            lock (_lock)
            {
                if (value && !_keepsBoundaries && _count > 0 && _messages.IsEmpty)
                {
                    _messages.Push(_count);
                }

                Volatile.Write(ref _keepsBoundaries, value);
            }
        }
    }

    public EnqueueResult Enqueue(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return EnqueueResult.Closed;
            }

            if ((long)_count + data.Length > _limit)
            {
                return EnqueueResult.Overflow;
            }

            if (data.IsEmpty)
            {
                return EnqueueResult.Queued; // nothing to send, and no empty message to keep apart
            }

            var length = data.Length;
            if (_keepsBoundaries)
            {
                _messages.Push(length);
            }
            else if (!_messages.IsEmpty)
            {
                _messages.GrowLast(length);
            }

            // A message that fits a chunk is kept in one, so one send carries all of it.
            if (_chunkCount > 0 && !(_keepsBoundaries && length <= ChunkSize && Tail().Room < length))
            {
                data = Tail().Append(data);
            }

            while (!data.IsEmpty)
            {
                AddChunk();
                data = Tail().Append(data);
            }

            Volatile.Write(ref _count, _count + length);
            return EnqueueResult.Queued;
        }
    }

    /// <summary>The oldest unsent bytes, as one contiguous segment. Only the flush-gate holder calls this.</summary>
    public bool TryPeek(out ArraySegment<byte> segment)
    {
        lock (_lock)
        {
            if (_chunkCount == 0 || _disposed)
            {
                segment = default;
                return false;
            }

            ref var head = ref _ring[_head];
            var count = head.End - head.Start;
            if (!_messages.IsEmpty)
            {
                count = Math.Min(count, _messages.First);
            }

            segment = new ArraySegment<byte>(head.Buffer, head.Start, count);
            return segment.Count > 0;
        }
    }

    /// <summary>Drops <paramref name="sent"/> bytes from the front, returning drained chunks to the pool.</summary>
    public void Advance(int sent)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            ref var head = ref _ring[_head];
            head.Start += sent;
            Volatile.Write(ref _count, _count - sent);
            if (!_messages.IsEmpty)
            {
                _messages.ShrinkFirst(sent);
            }

            if (head.Start == head.End)
            {
                ArrayPool<byte>.Shared.Return(head.Buffer);
                head = default;
                _head = (_head + 1) % _ring.Length;
                _chunkCount--;
            }
        }
    }

    /// <summary>Claims the right to flush. Exactly one flusher runs at a time, whichever thread that is.</summary>
    public bool TryAcquireFlush() => Interlocked.CompareExchange(ref _flushGate, 1, 0) == 0;

    /// <summary>
    /// Gives the flush gate back, then takes it again if bytes arrived meanwhile; true means the caller still
    /// holds it and must flush again (otherwise those bytes could wait for a flush nobody schedules).
    /// </summary>
    public bool ReleaseFlush()
    {
        Volatile.Write(ref _flushGate, 0);
        return Count > 0 && TryAcquireFlush();
    }

    /// <summary>
    /// Gives the flush gate back without re-checking the queue: for a readiness loop that stopped on a full send
    /// buffer and will flush again when the socket is writable, not now.
    /// </summary>
    public void YieldFlush() => Volatile.Write(ref _flushGate, 0);

    /// <summary>Returns every chunk to the pool. Called once the session's loops have ended.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            for (var i = 0; i < _chunkCount; i++)
            {
                ref var chunk = ref _ring[(_head + i) % _ring.Length];
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
                chunk = default;
            }

            _chunkCount = 0;
            _messages.Clear();
            Volatile.Write(ref _count, 0);
        }
    }

    private ref Chunk Tail() => ref _ring[(_head + _chunkCount - 1) % _ring.Length];

    private void AddChunk()
    {
        if (_chunkCount == _ring.Length)
        {
            var bigger = new Chunk[_ring.Length * 2];
            for (var i = 0; i < _chunkCount; i++)
            {
                bigger[i] = _ring[(_head + i) % _ring.Length];
            }

            _ring = bigger;
            _head = 0;
        }

        _ring[(_head + _chunkCount) % _ring.Length] = new Chunk { Buffer = ArrayPool<byte>.Shared.Rent(ChunkSize) };
        _chunkCount++;
    }

    private struct Chunk
    {
        public byte[] Buffer;
        public int Start;
        public int End;

        public readonly int Room => Buffer.Length - End;

        public ReadOnlySpan<byte> Append(ReadOnlySpan<byte> data)
        {
            var n = Math.Min(Buffer.Length - End, data.Length);
            data[..n].CopyTo(Buffer.AsSpan(End));
            End += n;
            return data[n..];
        }
    }

    /// <summary>
    /// The lengths of the queued messages, oldest first, in a ring rented from the pool (grown by doubling, given back
    /// when it empties, so an idle session holds none). Only the queue touches it, under its lock.
    /// </summary>
    private struct MessageLengths
    {
        private const int InitialCapacity = 16;
        private int[]? _lengths;
        private int _first;
        private int _count;

        public readonly bool IsEmpty => _count == 0;

        public readonly int First => _lengths![_first];

        public void Push(int length)
        {
            if (_lengths is null || _count == _lengths.Length)
            {
                Grow();
            }

            _lengths![(_first + _count) % _lengths.Length] = length;
            _count++;
        }

        public readonly void GrowLast(int length) => _lengths![(_first + _count - 1) % _lengths.Length] += length;

        /// <summary><paramref name="sent"/> bytes of the first message left; never more than it has (a peek never spans two).</summary>
        public void ShrinkFirst(int sent)
        {
            if ((_lengths![_first] -= sent) > 0)
            {
                return;
            }

            _first = (_first + 1) % _lengths.Length;
            if (--_count == 0)
            {
                Clear();
            }
        }

        public void Clear()
        {
            if (_lengths is not null)
            {
                ArrayPool<int>.Shared.Return(_lengths);
            }

            this = default;
        }

        private void Grow()
        {
            var bigger = ArrayPool<int>.Shared.Rent(_lengths is null ? InitialCapacity : _lengths.Length * 2);
            for (var i = 0; i < _count; i++)
            {
                bigger[i] = _lengths![(_first + i) % _lengths.Length];
            }

            if (_lengths is not null)
            {
                ArrayPool<int>.Shared.Return(_lengths);
            }

            _lengths = bigger;
            _first = 0;
        }
    }
}
