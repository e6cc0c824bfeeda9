using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Wirekit.Proxy;

/// <summary>
/// Writes one chunk to the destination, cut by --slice and paced by --bandwidth. With neither on it is one send of
/// the whole chunk, no timer and no allocation: the plain-forwarding path. With them, nothing per chunk either: the
/// async methods' state is pooled and the pauses share one <see cref="ReusableDelay"/>.
/// </summary>
internal sealed class ChunkSender(Socket destination) : IDisposable
{
    // Bandwidth pieces carry 50 ms of the rate, so a slow link trickles instead of bursting a whole buffer each second.
    private const int PiecesPerSecond = 20;

    private long _nextFree = Stopwatch.GetTimestamp();

    // Made at the first pause, with that call's token: one pump, one token, for the connection's life.
    private ReusableDelay? _delay;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AppliedFaults> SendAsync(ReadOnlyMemory<byte> chunk, ProxyFaults faults, CancellationToken cancellationToken)
    {
        if (faults.SliceBytes is null && faults.BandwidthKiBps is null)
        {
            await SendAllAsync(chunk, cancellationToken);
            return AppliedFaults.None;
        }

        var rate = faults.BandwidthKiBps * 1024;
        var piece = Math.Min(faults.SliceBytes ?? int.MaxValue, rate is { } r ? (int)Math.Clamp(r / PiecesPerSecond, 1, int.MaxValue) : int.MaxValue);
        while (!chunk.IsEmpty)
        {
            var part = chunk[..Math.Min(piece, chunk.Length)];
            if (rate is { } bytesPerSecond)
            {
                await PaceAsync(part.Length, bytesPerSecond, cancellationToken);
            }

            await SendAllAsync(part, cancellationToken);
            chunk = chunk[part.Length..];
            if (faults.SliceDelay > TimeSpan.Zero)
            {
                await Delay(cancellationToken).WaitAsync(faults.SliceDelay);
            }
        }

        return (faults.SliceBytes is null ? AppliedFaults.None : AppliedFaults.Slice) | (rate is null ? AppliedFaults.None : AppliedFaults.Bandwidth);
    }

    public void Dispose() => _delay?.Dispose();

    private ReusableDelay Delay(CancellationToken cancellationToken)
    {
        Debug.Assert(_delay is null || _delay.CancellationToken == cancellationToken, "one sender, one token");
        return _delay ??= new ReusableDelay(cancellationToken);
    }

    /// <summary>A token bucket without a bucket: each piece books its airtime after the previous one's.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PaceAsync(int bytes, double bytesPerSecond, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        var start = Math.Max(now, _nextFree);
        _nextFree = start + (long)(bytes / bytesPerSecond * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(now, start);
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Delay(cancellationToken).WaitAsync(wait);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await destination.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }
}
