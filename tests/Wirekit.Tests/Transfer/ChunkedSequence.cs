using System.Buffers;
using Wirekit.Fuzz;

namespace Wirekit.Tests.Transfer;

/// <summary>Builds a ReadOnlySequence whose segments are <c>chunk</c> bytes long, to prove parsers do not assume contiguity.</summary>
internal static class ChunkedSequence
{
    // The fuzz harnesses' segment builder: one mechanism for every multi-segment sequence the tests make.
    public static ReadOnlySequence<byte> Of(byte[] data, int chunk)
        => ChunkSequence.Of([.. Enumerable.Range(0, (data.Length + chunk - 1) / chunk).Select(i => (ReadOnlyMemory<byte>)data.AsMemory(i * chunk, Math.Min(chunk, data.Length - (i * chunk))))]);
}
