using System.Buffers;

namespace Wirekit.Tests.Transfer;

/// <summary>Builds a ReadOnlySequence whose segments are <c>chunk</c> bytes long, to prove parsers do not assume contiguity.</summary>
internal static class ChunkedSequence
{
    public static ReadOnlySequence<byte> Of(byte[] data, int chunk)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null, last = null;
        for (var i = 0; i < data.Length; i += chunk)
        {
            var memory = data.AsMemory(i, Math.Min(chunk, data.Length - i));
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
