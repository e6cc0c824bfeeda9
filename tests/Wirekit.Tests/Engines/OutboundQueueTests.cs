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
}
