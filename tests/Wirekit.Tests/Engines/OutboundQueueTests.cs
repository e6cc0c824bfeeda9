using Wirekit.Engines.Sessions;

namespace Wirekit.Tests.Engines;

public sealed class OutboundQueueTests
{
    [Fact]
    public void Bytes_come_out_in_order_across_chunk_boundaries()
    {
        using var queue = new OutboundQueue(limit: 1 << 20);
        var payload = new byte[200_000];
        new Random(7).NextBytes(payload);
        for (var offset = 0; offset < payload.Length; offset += 777)
        {
            Assert.Equal(EnqueueResult.Queued, queue.Enqueue(payload.AsSpan(offset, Math.Min(777, payload.Length - offset))));
        }

        Assert.Equal(payload.Length, queue.Count);
        Assert.True(queue.TryAcquireFlush());
        var drained = new List<byte>();
        while (queue.TryPeek(out var segment))
        {
            var take = Math.Min(segment.Count, 1000);
            drained.AddRange(segment.AsSpan(0, take).ToArray());
            queue.Advance(take);
        }

        Assert.False(queue.ReleaseFlush());
        Assert.Equal(payload, drained.ToArray());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Refuses_what_would_pass_the_bound_and_keeps_what_it_had()
    {
        using var queue = new OutboundQueue(limit: 100);
        Assert.Equal(EnqueueResult.Queued, queue.Enqueue(new byte[60]));
        Assert.Equal(EnqueueResult.Overflow, queue.Enqueue(new byte[41]));
        Assert.Equal(60, queue.Count);
        Assert.Equal(EnqueueResult.Queued, queue.Enqueue(new byte[40]));
    }

    [Fact]
    public void Release_takes_the_gate_back_when_bytes_arrived_meanwhile()
    {
        using var queue = new OutboundQueue(limit: 100);
        Assert.True(queue.TryAcquireFlush());
        Assert.False(queue.TryAcquireFlush());
        queue.Enqueue([1, 2, 3]);
        Assert.True(queue.ReleaseFlush());
        queue.Advance(3);
        Assert.False(queue.ReleaseFlush());
        Assert.True(queue.TryAcquireFlush());
    }

    [Fact]
    public void A_disposed_queue_takes_nothing()
    {
        var queue = new OutboundQueue(limit: 100);
        queue.Enqueue([1]);
        queue.Dispose();
        Assert.Equal(EnqueueResult.Closed, queue.Enqueue([2]));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Coalesces_messages_into_one_peek_by_default()
    {
        using var queue = new OutboundQueue(limit: 1 << 20);
        queue.Enqueue("a\0"u8);
        queue.Enqueue("bc\0"u8);
        Assert.Equal(["a\0bc\0"], Drain(queue, partial: int.MaxValue));
    }

    [Fact]
    public void Keeping_boundaries_peeks_one_message_at_a_time_even_after_a_partial_send()
    {
        using var queue = new OutboundQueue(limit: 1 << 20) { KeepsBoundaries = true };
        queue.Enqueue("<a> one\0"u8);
        queue.Enqueue("<b> two\0"u8);
        queue.Enqueue("<c> three\0"u8);

        // A send that takes 5 bytes at most: each message still ends a peek of its own.
        Assert.Equal(["<a> o", "ne\0", "<b> t", "wo\0", "<c> t", "hree\0"], Drain(queue, partial: 5));
    }

    [Fact]
    public void Bytes_queued_before_boundaries_were_kept_leave_as_one_message()
    {
        using var queue = new OutboundQueue(limit: 1 << 20);
        queue.Enqueue("welcome\n"u8);
        queue.Enqueue("motd\n"u8);
        queue.KeepsBoundaries = true;
        queue.Enqueue("x\0"u8);
        Assert.Equal(["welcome\nmotd\n", "x\0"], Drain(queue, partial: int.MaxValue));
    }

    [Fact]
    public void A_message_that_fits_a_chunk_is_never_split_across_two()
    {
        using var queue = new OutboundQueue(limit: 1 << 20) { KeepsBoundaries = true };
        var message = new byte[1000];
        for (var i = 0; i < 70; i++)
        {
            Assert.Equal(EnqueueResult.Queued, queue.Enqueue(message));
        }

        // 70 KB crosses the first 64 KiB chunk: every peek is still one whole message.
        Assert.All(Drain(queue, partial: int.MaxValue), text => Assert.Equal(1000, text.Length));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Keeping_boundaries_allocates_nothing_per_message_once_warm()
    {
        using var queue = new OutboundQueue(limit: 1 << 20) { KeepsBoundaries = true };
        var message = "<user2> l1\0"u8.ToArray();
        void Cycle()
        {
            for (var i = 0; i < 100; i++)
            {
                queue.Enqueue(message);
            }

            while (queue.TryPeek(out var segment))
            {
                queue.Advance(segment.Count);
            }
        }

        Cycle();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Cycle();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Every peek's bytes as text, each send taking at most <paramref name="partial"/> bytes of it.</summary>
    private static List<string> Drain(OutboundQueue queue, int partial)
    {
        var sends = new List<string>();
        while (queue.TryPeek(out var segment))
        {
            var take = Math.Min(segment.Count, partial);
            sends.Add(System.Text.Encoding.UTF8.GetString(segment.AsSpan(0, take)));
            queue.Advance(take);
        }

        return sends;
    }
}
