using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Wirekit.Engines.Sessions;

namespace Wirekit.Proxy;

/// <summary>
/// --latency: chunks wait here until their time, in arrival order, while the reader goes on reading, so a held
/// stream still flows at full rate, only later. Bounded at <see cref="Capacity"/> chunks: when full the reader
/// waits (and so the sender's window fills), memory never grows. Each chunk owns a pooled buffer, returned once
/// written. Created on the first delayed chunk only; plain forwarding never has one.
/// Nothing is allocated per chunk: a ring of slots under a lock, two signals (one reader, one writer) whose waiter
/// goes on on the setter's thread, one re-armed timer, and the buffers written kept for the reader's next chunks
/// (<see cref="Rent"/>): a Channel and Task.Delay allocated about 170 bytes per chunk, and a buffer rented on the
/// reader's thread and returned on the writer's ends in that thread's own slot of the shared pool, out of the
/// reader's reach, so the pool kept making new ones.
/// </summary>
internal sealed class DelayLine
{
    public const int Capacity = 16;

    private readonly Held[] _ring = new Held[Capacity];
    private readonly Lock _lock = new();
    private readonly AsyncSignal _arrived = new(runContinuationsAsynchronously: false);
    private readonly AsyncSignal _freed = new(runContinuationsAsynchronously: false);
    private readonly Stack<byte[]> _spare = new(Capacity);
    private readonly ReusableDelay _due;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _send;
    private readonly CancellationToken _cancellationToken;
    private readonly Task _writer;
    private int _head;
    private int _count;
    private bool _closed;
    private long _lastDue;
    private int _pending;

    private readonly record struct Held(byte[] Buffer, int Length, long Due);

    public DelayLine(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        _send = send;
        _cancellationToken = cancellationToken;
        _due = new ReusableDelay(cancellationToken);
        // Cancellation wakes whichever side is waiting; each then sees the token and ends.
        cancellationToken.UnsafeRegister(static state => ((DelayLine)state!).WakeBoth(), this);
        _writer = WriteAsync();
    }

    /// <summary>Chunks accepted and not yet written: while any are, later chunks must queue behind them to keep the order.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues <paramref name="buffer"/> (now owned by the line) to leave <paramref name="delay"/> after now, never before the chunk ahead.</summary>
    /// <exception cref="LineClosedException">The line has ended (a write failed): the destination is gone.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask EnqueueAsync(byte[] buffer, int length, TimeSpan delay, CancellationToken cancellationToken)
    {
        var due = Math.Max(_lastDue, Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency));
        _lastDue = due;
        Interlocked.Increment(ref _pending);
        try
        {
            while (!TryAdd(new Held(buffer, length, due)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _freed.WaitAsync();
            }
        }
        catch
        {
            Interlocked.Decrement(ref _pending);
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        _arrived.Set();
    }

    /// <summary>A buffer for the reader's next chunk: one this line has written, or a new one from the shared pool.</summary>
    public byte[] Rent(int minimumLength)
    {
        lock (_lock)
        {
            if (_spare.TryPeek(out var spare) && spare.Length >= minimumLength)
            {
                return _spare.Pop();
            }
        }

        return ArrayPool<byte>.Shared.Rent(minimumLength);
    }

    /// <summary>Writes what is queued, then ends; rethrows a failed write.</summary>
    public Task DrainAsync()
    {
        lock (_lock)
        {
            _closed = true;
        }

        _arrived.Set();
        return _writer;
    }

    private bool TryAdd(Held held)
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw new LineClosedException();
            }

            if (_count == Capacity)
            {
                return false;
            }

            _ring[(_head + _count) % Capacity] = held;
            _count++;
            return true;
        }
    }

    /// <summary>The oldest chunk; false when there is none (and <paramref name="closed"/> says whether more may come).</summary>
    private bool TryTake(out Held held, out bool closed)
    {
        lock (_lock)
        {
            closed = _closed;
            if (_count == 0)
            {
                held = default;
                return false;
            }

            held = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % Capacity;
            _count--;
            return true;
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                if (!TryTake(out var held, out var closed))
                {
                    if (closed)
                    {
                        return;
                    }

                    _cancellationToken.ThrowIfCancellationRequested();
                    await _arrived.WaitAsync();
                    continue;
                }

                _freed.Set();
                try
                {
                    await _due.WaitAsync(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), held.Due));
                    await _send(held.Buffer.AsMemory(0, held.Length), _cancellationToken);
                }
                finally
                {
                    Recycle(held.Buffer);
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        finally
        {
            // A failed write ends the line: later chunks are returned to the pool instead of being written.
            lock (_lock)
            {
                _closed = true;
            }

            while (TryTake(out var left, out _))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
                Interlocked.Decrement(ref _pending);
            }

            lock (_lock)
            {
                while (_spare.TryPop(out var spare))
                {
                    ArrayPool<byte>.Shared.Return(spare);
                }
            }

            _freed.Set();
            _due.Dispose();
        }
    }

    private void Recycle(byte[] buffer)
    {
        lock (_lock)
        {
            if (!_closed && _spare.Count < Capacity)
            {
                _spare.Push(buffer);
                return;
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }

    private void WakeBoth()
    {
        _arrived.Set();
        _freed.Set();
    }
}

/// <summary>A chunk offered to a <see cref="DelayLine"/> that has ended, because a write to the destination failed.</summary>
internal sealed class LineClosedException() : InvalidOperationException("the delay line has ended: a write to the destination failed");
