using System.Buffers;

namespace Wirekit.Fuzz;

/// <summary>Lays chunks end to end as one multi-segment sequence, the shape a pipe hands its reader after several receives.</summary>
public static class ChunkSequence
{
    public static ReadOnlySequence<byte> Of(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        var nonEmpty = chunks.Where(c => !c.IsEmpty).ToList();
        if (nonEmpty.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(nonEmpty[0], 0);
        var last = first;
        foreach (var chunk in nonEmpty.Skip(1))
        {
            last = last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Removes the first <paramref name="count"/> bytes, keeping the rest of the chunks' boundaries.</summary>
    public static void DropPrefix(List<ReadOnlyMemory<byte>> chunks, long count)
    {
        while (count > 0 && chunks.Count > 0)
        {
            if (chunks[0].Length <= count)
            {
                count -= chunks[0].Length;
                chunks.RemoveAt(0);
            }
            else
            {
                chunks[0] = chunks[0][(int)count..];
                count = 0;
            }
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
