using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace Wirekit.Proxy;

/// <summary>
/// --latency: chunks wait here until their time, in arrival order, while the reader goes on reading, so a held
/// stream still flows at full rate, only later. Bounded at <see cref="Capacity"/> chunks: when full the reader
/// waits (and so the sender's window fills), memory never grows. Each chunk owns a pooled buffer, returned once
/// written. Created on the first delayed chunk only; plain forwarding never has one.
/// </summary>
internal sealed class DelayLine
{
    public const int Capacity = 16;

    private readonly Channel<Held> _queue = Channel.CreateBounded<Held>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _send;
    private readonly Task _writer;
    private long _lastDue;
    private int _pending;

    private readonly record struct Held(byte[] Buffer, int Length, long Due);

    public DelayLine(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        _send = send;
        _writer = WriteAsync(cancellationToken);
    }

    /// <summary>Chunks accepted and not yet written: while any are, later chunks must queue behind them to keep the order.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues <paramref name="buffer"/> (now owned by the line) to leave <paramref name="delay"/> after now, never before the chunk ahead.</summary>
    public async ValueTask EnqueueAsync(byte[] buffer, int length, TimeSpan delay, CancellationToken cancellationToken)
    {
        var due = Math.Max(_lastDue, Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency));
        _lastDue = due;
        Interlocked.Increment(ref _pending);
        try
        {
            await _queue.Writer.WriteAsync(new Held(buffer, length, due), cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _pending);
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Writes what is queued, then ends; rethrows a failed write.</summary>
    public Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        return _writer;
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var held in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), held.Due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    await _send(held.Buffer.AsMemory(0, held.Length), cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(held.Buffer);
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        finally
        {
            // A failed write ends the line: later chunks are returned to the pool instead of being written.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
