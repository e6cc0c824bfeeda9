using System.Diagnostics;

namespace Wirekit.Bench;

/// <summary>
/// Round-trip bookkeeping for one connection without per-message cost. Echo preserves order, so each send batch is
/// remembered as (stream offset just past its last byte, time sent, messages it completed); when the received
/// offset passes that end, the whole batch has come back and is recorded once with its message count.
/// Messages split across batches count in the batch holding their last byte.
/// </summary>
internal sealed class LatencyFifo
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly int _messageSize;
    private readonly int _maxEntries;
    private Entry[] _ring;
    private int _head;
    private int _count;

    /// <param name="messageSize">Bytes per message, to turn offsets into message counts.</param>
    /// <param name="maxOutstandingBytes">
    /// Bytes in flight at most. Every queued batch still owes at least one byte, so this bounds the queue too.
    /// </param>
    public LatencyFifo(int messageSize, long maxOutstandingBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutstandingBytes);
        _messageSize = messageSize;
        _maxEntries = (int)Math.Min(maxOutstandingBytes, Array.MaxLength);
        _ring = new Entry[Math.Min(64, _maxEntries)];
    }

    /// <summary>Batches sent and not yet fully echoed.</summary>
    public int Count => _count;

    /// <summary>Notes that the stream offset moved from <paramref name="sentBefore"/> to <paramref name="sentAfter"/> at <paramref name="timestamp"/>.</summary>
    public void OnSent(long sentBefore, long sentAfter, long timestamp)
    {
        var messages = sentAfter / _messageSize - sentBefore / _messageSize;
        if (messages == 0)
        {
            return; // only part of a message went out: the batch that finishes it carries it
        }

        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) % _ring.Length] = new Entry(sentAfter, timestamp, messages);
        _count++;
    }

    /// <summary>Records every batch that the received offset has now fully covered. Returns the messages recorded.</summary>
    public long OnReceived(long receivedTotal, long timestamp, ILatencyRecorder recorder)
    {
        long recorded = 0;
        while (_count > 0)
        {
            ref var oldest = ref _ring[_head];
            if (oldest.EndOffset > receivedTotal)
            {
                break;
            }

            recorder.Record((long)((timestamp - oldest.SentAt) * NanosecondsPerTick), oldest.Messages);
            recorded += oldest.Messages;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }

        return recorded;
    }

    private void Grow()
    {
        if (_ring.Length >= _maxEntries)
        {
            // Unreachable while the caller keeps its in-flight bound; failing loudly beats silent wrong figures.
            throw new InvalidOperationException($"more than {_maxEntries} send batches outstanding");
        }

        var bigger = new Entry[(int)Math.Min((long)_ring.Length * 2, _maxEntries)];
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = _ring[(_head + i) % _ring.Length];
        }

        _ring = bigger;
        _head = 0;
    }

    private readonly record struct Entry(long EndOffset, long SentAt, long Messages);
}
