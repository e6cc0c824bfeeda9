using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirekit.Engines.Sessions;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Properties;

/// <summary>
/// <see cref="OutboundQueue"/>: any interleaving of producers (and of the flusher's partial sends) keeps each producer's
/// order and never exceeds the bound (issue 13 §3). Messages describe themselves (producer, number, length), so the
/// drained bytes can be read back into who sent what.
/// </summary>
public sealed class OutboundQueueProperties
{
    private const int MessageHeader = 5;

    /// <summary>One step: a producer (0..3) enqueues a message of 5 + size bytes, or the flusher sends up to size bytes.</summary>
    public readonly record struct Step(bool Drain, byte Producer, ushort Size);

    [Property]
    public bool A_generated_interleaving_keeps_order_and_bound(Step[] steps, PositiveInt limitSeed, bool keepBoundaries)
    {
        var limit = 1 + (limitSeed.Get % 4000);
        using var queue = new OutboundQueue(limit) { KeepsBoundaries = keepBoundaries };
        Assert.True(queue.TryAcquireFlush());
        var accepted = new List<(int Producer, int Number)>();
        var next = new int[4];
        var lengths = new List<int>(); // what is left of each queued message, oldest first
        var drained = new List<byte>();
        var queued = 0;
        foreach (var step in steps)
        {
            if (step.Drain)
            {
                queued -= Send(queue, step.Size, keepBoundaries, lengths, drained);
            }
            else
            {
                var producer = step.Producer % 4;
                var message = Message(producer, next[producer]++, step.Size % 600);
                var result = queue.Enqueue(message);
                var fits = queued + message.Length <= limit;
                if (result != (fits ? EnqueueResult.Queued : EnqueueResult.Overflow))
                {
                    return false;
                }

                if (fits)
                {
                    queued += message.Length;
                    lengths.Add(message.Length);
                    accepted.Add((producer, next[producer] - 1));
                }
            }

            if (queue.Count != queued || queue.Count > limit)
            {
                return false;
            }
        }

        while (queue.Count > 0)
        {
            Send(queue, ushort.MaxValue, keepBoundaries, lengths, drained);
        }

        return Read(drained).SequenceEqual(accepted);
    }

    [Property(MaxTest = 20)]
    public bool Concurrent_producers_keep_their_order_and_the_bound(PositiveInt limitSeed, byte[] sizes)
    {
        var limit = 64 + (limitSeed.Get % 8000);
        const int producers = 3;
        const int perProducer = 200;
        using var queue = new OutboundQueue(limit);
        var accepted = Enumerable.Range(0, producers).Select(_ => new List<int>()).ToArray();
        var overBound = false;
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (var n = 0; n < perProducer; n++)
            {
                var size = sizes.Length == 0 ? 10 : sizes[(p + n) % sizes.Length];
                if (queue.Enqueue(Message(p, n, size)) == EnqueueResult.Queued)
                {
                    accepted[p].Add(n);
                }
            }
        })).ToList();
        var drained = new List<byte>();
        threads.ForEach(t => t.Start());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (threads.Any(t => t.IsAlive) || queue.Count > 0)
        {
            Assert.True(clock.Elapsed < Deadline.Default, "the producers finished within the deadline");
            overBound |= queue.Count > limit;
            if (queue.TryAcquireFlush())
            {
                while (queue.TryPeek(out var segment))
                {
                    var take = Math.Max(1, segment.Count / 2);
                    drained.AddRange(segment.AsSpan(0, take).ToArray());
                    queue.Advance(take);
                }

                queue.YieldFlush();
            }
        }

        threads.ForEach(t => t.Join());
        var read = Read(drained);
        return !overBound && Enumerable.Range(0, producers).All(p => read.Where(m => m.Producer == p).Select(m => m.Number).SequenceEqual(accepted[p]));
    }

    /// <summary>The flusher sends up to <paramref name="most"/> bytes of the head segment; with boundaries kept, a segment never spans two messages.</summary>
    private static int Send(OutboundQueue queue, int most, bool keepBoundaries, List<int> lengths, List<byte> drained)
    {
        if (most == 0 || !queue.TryPeek(out var segment))
        {
            return 0;
        }

        Assert.True(!keepBoundaries || segment.Count <= lengths[0], "one message per send when boundaries are kept");
        var take = Math.Min(most, segment.Count);
        drained.AddRange(segment.AsSpan(0, take).ToArray());
        queue.Advance(take);
        for (var left = take; left > 0;)
        {
            var used = Math.Min(left, lengths[0]);
            left -= used;
            lengths[0] -= used;
            if (lengths[0] == 0)
            {
                lengths.RemoveAt(0);
            }
        }

        return take;
    }

    private static byte[] Message(int producer, int number, int size)
    {
        var message = new byte[MessageHeader + size];
        message[0] = (byte)producer;
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(1), (ushort)number);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(3), (ushort)message.Length);
        message.AsSpan(MessageHeader).Fill((byte)(producer + 0xA0));
        return message;
    }

    private static List<(int Producer, int Number)> Read(List<byte> stream)
    {
        var messages = new List<(int, int)>();
        var bytes = stream.ToArray().AsSpan();
        while (bytes.Length >= MessageHeader)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[3..]);
            Assert.True(bytes[MessageHeader..length].IndexOfAnyExcept((byte)(bytes[0] + 0xA0)) < 0, "a message's bytes are not interleaved with another's");
            messages.Add((bytes[0], BinaryPrimitives.ReadUInt16LittleEndian(bytes[1..])));
            bytes = bytes[length..];
        }

        Assert.True(bytes.IsEmpty, "the stream ends on a message boundary");
        return messages;
    }
}
