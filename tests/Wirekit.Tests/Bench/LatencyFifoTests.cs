using System.Diagnostics;
using Wirekit.Bench;

namespace Wirekit.Tests.Bench;

public sealed class LatencyFifoTests
{
    private const int Size = 32;

    [Fact]
    public void A_batch_is_recorded_once_with_its_message_count_when_its_last_byte_returns()
    {
        var fifo = new LatencyFifo(Size, maxOutstandingBytes: 10 * Size);
        var recorder = new RecordingLatencyRecorder();
        fifo.OnSent(0, 3 * Size, timestamp: 1000);

        Assert.Equal(0, fifo.OnReceived(3 * Size - 1, timestamp: 2000, recorder));
        Assert.Empty(recorder.Samples);

        Assert.Equal(3, fifo.OnReceived(3 * Size, timestamp: 2000 + Stopwatch.Frequency, recorder));
        var sample = Assert.Single(recorder.Samples);
        Assert.Equal(3, sample.Count);
        Assert.Equal(TicksToNanoseconds(Stopwatch.Frequency + 1000), sample.Nanoseconds);
        Assert.Equal(0, fifo.Count);
    }

    [Fact]
    public void Batches_complete_in_send_order_and_one_receive_can_complete_several()
    {
        var fifo = new LatencyFifo(Size, maxOutstandingBytes: 10 * Size);
        var recorder = new RecordingLatencyRecorder();
        fifo.OnSent(0, 2 * Size, timestamp: 100);
        fifo.OnSent(2 * Size, 3 * Size, timestamp: 200);
        fifo.OnSent(3 * Size, 7 * Size, timestamp: 300);

        Assert.Equal(3, fifo.OnReceived(5 * Size, timestamp: 1000, recorder));

        Assert.Equal([(TicksToNanoseconds(900), 2L), (TicksToNanoseconds(800), 1L)], recorder.Samples);
        Assert.Equal(1, fifo.Count);
    }

    [Fact]
    public void A_message_split_across_sends_counts_in_the_batch_holding_its_last_byte()
    {
        var fifo = new LatencyFifo(Size, maxOutstandingBytes: 10 * Size);
        var recorder = new RecordingLatencyRecorder();
        fifo.OnSent(0, 10, timestamp: 1);          // no message finished: nothing queued
        fifo.OnSent(10, Size + 5, timestamp: 2);   // finishes message 1
        fifo.OnSent(Size + 5, 3 * Size, timestamp: 3); // finishes messages 2 and 3

        Assert.Equal(2, fifo.Count);
        Assert.Equal(3, fifo.OnReceived(3 * Size, timestamp: 10, recorder));
        Assert.Equal([1L, 2L], recorder.Samples.Select(s => s.Count));
    }

    [Fact]
    public void Every_message_sent_is_recorded_exactly_once_across_growth_of_the_queue()
    {
        const int messages = 1000;
        var fifo = new LatencyFifo(Size, maxOutstandingBytes: messages * Size);
        var recorder = new RecordingLatencyRecorder();
        for (var i = 0; i < messages; i++)
        {
            fifo.OnSent((long)i * Size, (long)(i + 1) * Size, timestamp: i); // far past the initial 64 slots
        }

        long recorded = 0;
        for (long received = 7; received < messages * Size; received += 7_777)
        {
            recorded += fifo.OnReceived(received, timestamp: messages, recorder);
        }

        recorded += fifo.OnReceived(messages * Size, timestamp: messages, recorder);
        Assert.Equal(messages, recorded);
        Assert.Equal(messages, recorder.Messages);
        Assert.Equal(0, fifo.Count);

        // FIFO order: the first message sent waited longest.
        Assert.Equal(recorder.Samples.OrderByDescending(s => s.Nanoseconds), recorder.Samples);
    }

    [Fact]
    public void More_batches_than_bytes_in_flight_is_refused_rather_than_miscounted()
    {
        var fifo = new LatencyFifo(messageSize: 1, maxOutstandingBytes: 2);
        fifo.OnSent(0, 1, timestamp: 1);
        fifo.OnSent(1, 2, timestamp: 2);

        Assert.Throws<InvalidOperationException>(() => fifo.OnSent(2, 3, timestamp: 3));
    }

    private static long TicksToNanoseconds(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));
}
