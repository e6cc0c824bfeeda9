using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Wirekit.Proxy;

/// <summary>How one direction's loop ended; the connection decides what that means for the other side.</summary>
internal enum PumpEnd
{
    /// <summary>The source sent FIN and it was passed on (or held back by a blackhole).</summary>
    Finished,
    SourceReset,
    DestinationFailed,
    LimitReached,
    ResetFault,
    Stopped,
}

/// <summary>
/// One direction of one connection: read from the source into a pooled buffer, let the faults act, write to the
/// destination. Plain forwarding is receive, send, repeat on one buffer: nothing allocated per chunk. FIN is passed
/// on as a half-close (Shutdown(Send)), so the other direction keeps flowing; a reset ends the loop for the
/// connection to pass on as a reset.
/// </summary>
internal sealed class DirectionPump(ProxyDirection direction, Socket source, Socket destination, ProxyFaultTable table, int bufferBytes)
{
    private readonly ChunkSender _sender = new(destination);
    private DelayLine? _delay;
    private long _forwarded;
    private long _dropped;
    private long _corrupted;
    private int _applied;
    private volatile bool _blackholed;

    public ProxyDirection Direction => direction;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Corrupted => Interlocked.Read(ref _corrupted);

    public AppliedFaults Applied => (AppliedFaults)Volatile.Read(ref _applied);

    /// <summary>From now on bytes are dropped and FIN is not passed (a timed --blackhole-after).</summary>
    public void Blackhole()
    {
        _blackholed = true;
        Mark(AppliedFaults.BlackholeAfter);
    }

    public async Task<PumpEnd> RunAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            while (true)
            {
                await WhileHeldAsync(cancellationToken);
                int received;
                try
                {
                    received = await source.ReceiveAsync(buffer.AsMemory(0, bufferBytes), SocketFlags.None, cancellationToken);
                }
                catch (SocketException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Behind a blackhole a reset is swallowed like everything else: the other side keeps its zombie.
                    return _blackholed ? PumpEnd.Finished : PumpEnd.SourceReset;
                }

                if (received == 0)
                {
                    await FinishAsync(cancellationToken);
                    return PumpEnd.Finished;
                }

                // A chunk read just before a stall or a cut waits too: nothing passes while the switch is on.
                await WhileHeldAsync(cancellationToken);
                var (end, handedOver) = await ForwardAsync(buffer, received, cancellationToken);
                if (handedOver)
                {
                    buffer = _delay!.Rent(bufferBytes);
                }

                if (end is { } ended)
                {
                    if (ended == PumpEnd.LimitReached && _delay is { } delay)
                    {
                        await delay.DrainAsync();
                    }

                    return ended;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return PumpEnd.Stopped;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or LineClosedException)
        {
            // Receive errors were caught above: this one came from a send (or the delay line's send).
            return cancellationToken.IsCancellationRequested ? PumpEnd.Stopped : PumpEnd.DestinationFailed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>After the connection cancelled the loop: lets a delay line's writer end, so no task outlives the connection.</summary>
    public async Task StopAsync()
    {
        if (_delay is { } delay)
        {
            try
            {
                await delay.DrainAsync();
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Cancelled, or the socket already closed: what was still delayed is dropped with the connection.
            }
        }

        _sender.Dispose();
    }

    /// <summary>The byte thresholds cut the chunk where they fall; returns how the loop must end (if it must) and whether the buffer went to the delay line.</summary>
    /// <remarks>Called per chunk and suspended whenever a send waits: its state is pooled, not allocated each time.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(PumpEnd? End, bool HandedOver)> ForwardAsync(byte[] buffer, int received, CancellationToken cancellationToken)
    {
        if (_blackholed)
        {
            Interlocked.Add(ref _dropped, received);
            return (null, false);
        }

        var faults = table[direction];
        var take = received;
        PumpEnd? end = null;
        var blackholeAfter = false;
        if (faults.LimitData is { } limit && limit - _forwarded <= take)
        {
            take = (int)Math.Max(0, limit - _forwarded);
            end = PumpEnd.LimitReached;
            Mark(AppliedFaults.LimitData);
        }

        if (faults.ResetAfter?.Bytes is { } resetAt && resetAt - _forwarded <= take)
        {
            take = (int)Math.Max(0, resetAt - _forwarded);
            end = PumpEnd.ResetFault;
            Mark(AppliedFaults.ResetAfter);
        }

        if (end is null && faults.BlackholeAfter?.Bytes is { } holeAt && holeAt - _forwarded < take)
        {
            take = (int)Math.Max(0, holeAt - _forwarded);
            blackholeAfter = true;
        }

        if (faults.CorruptRate > 0 && take > 0 && Random.Shared.NextDouble() < faults.CorruptRate)
        {
            var bit = Random.Shared.NextInt64(take * 8L);
            buffer[bit / 8] ^= (byte)(1 << (int)(bit % 8));
            Interlocked.Increment(ref _corrupted);
            Mark(AppliedFaults.Corrupt);
        }

        var handedOver = false;
        if (take > 0)
        {
            if (faults.Latency > TimeSpan.Zero || _delay is { Pending: > 0 })
            {
                _delay ??= new DelayLine((chunk, token) => SendAsync(chunk, token), cancellationToken);
                Mark(AppliedFaults.Latency);
                await _delay.EnqueueAsync(buffer, take, Jittered(faults), cancellationToken);
                handedOver = true;
            }
            else
            {
                await SendAsync(buffer.AsMemory(0, take), cancellationToken);
            }
        }

        Interlocked.Add(ref _forwarded, take);
        if (blackholeAfter)
        {
            Blackhole();
            Interlocked.Add(ref _dropped, received - take);
        }

        return (end, handedOver);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
        => Mark(await _sender.SendAsync(chunk, table[direction], cancellationToken));

    /// <summary>The source closed: what is still delayed goes first, then (after --slow-close) the FIN, unless a blackhole swallows it.</summary>
    private async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (_delay is { } delay)
        {
            await delay.DrainAsync();
        }

        if (_blackholed)
        {
            return;
        }

        var slowClose = table[direction].SlowClose;
        if (slowClose > TimeSpan.Zero)
        {
            Mark(AppliedFaults.SlowClose);
            await Task.Delay(slowClose, cancellationToken);
        }

        destination.Shutdown(SocketShutdown.Send);
    }

    /// <summary>--stall-reads on this direction, or `cut`: wait, reading nothing, until the switch is off.</summary>
    private async ValueTask WhileHeldAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = table.Changed;
            var cut = table.Cut;
            if (!cut && !table[direction].StallReads)
            {
                return;
            }

            Mark(cut ? AppliedFaults.Cut : AppliedFaults.StallReads);
            await changed.WaitAsync(cancellationToken);
        }
    }

    private static TimeSpan Jittered(ProxyFaults faults)
        => faults.Jitter > TimeSpan.Zero ? faults.Latency + faults.Jitter * (Random.Shared.NextDouble() * 2 - 1) : faults.Latency;

    private void Mark(AppliedFaults applied)
    {
        if (applied != AppliedFaults.None && (Volatile.Read(ref _applied) & (int)applied) != (int)applied)
        {
            Interlocked.Or(ref _applied, (int)applied);
        }
    }
}
