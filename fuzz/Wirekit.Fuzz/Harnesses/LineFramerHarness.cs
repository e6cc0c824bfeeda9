using System.Buffers;
using System.Text;
using Wirekit.Framing;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// <see cref="LineFramer"/> fed the chunks in turn. Mode 0 is the chat's 4096-byte limit; modes 1..31 are that many
/// bytes, so the over-long paths (skip to the terminator, the CR kept past the limit) are reached by short inputs.
/// Each result must equal what a plain split of the whole data on its terminators gives, whatever the chunks.
/// </summary>
public sealed class LineFramerHarness : IHarness
{
    public string Name => "line-framer";

    public void Run(FuzzInput input)
    {
        var limit = input.Mode == 0 ? 4096 : input.Mode;
        var expected = Expected(input.Data, limit);
        var framer = new LineFramer(limit);
        var results = 0;
        foreach (var chunk in input.Chunks())
        {
            var rest = chunk.Span;
            while (!rest.IsEmpty)
            {
                var before = rest.Length;
                var status = framer.TryRead(ref rest, out var message, out var terminator);
                Invariant.Holds(rest.Length <= before, "consumed <= available");
                Invariant.Holds(framer.PendingBytes <= limit + 1, "holds at most limit + 1 bytes");
                if (status == OperationStatus.NeedMoreData)
                {
                    Invariant.Holds(rest.IsEmpty, "NeedMoreData consumes the whole input");
                    continue;
                }

                Invariant.Holds(rest.Length < before, "a result consumes its terminator");
                Invariant.Holds(results < expected.Count, "no more results than terminators");
                var (wantStatus, wantMessage, wantTerminator) = expected[results++];
                Invariant.Equal(wantStatus, status, $"result {results}");
                Invariant.Equal(wantTerminator, terminator, $"terminator of result {results}");
                if (status == OperationStatus.Done)
                {
                    Invariant.Holds(message.Length <= limit, "a message is within the limit");
                    Invariant.SameBytes(wantMessage, message, $"message {results}");
                }
            }
        }

        Invariant.Equal(expected.Count, results, "results");
    }

    /// <summary>The model: split on \n and \0, drop one CR before \n, anything longer than the limit is an error.</summary>
    private static List<(OperationStatus, byte[], LineTerminator)> Expected(ReadOnlySpan<byte> data, int limit)
    {
        var results = new List<(OperationStatus, byte[], LineTerminator)>();
        int end;
        while ((end = data.IndexOfAny((byte)'\n', (byte)0)) >= 0)
        {
            var terminator = (LineTerminator)data[end];
            var line = data[..end];
            if (terminator == LineTerminator.Newline && line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            results.Add(line.Length <= limit
                ? (OperationStatus.Done, line.ToArray(), terminator)
                : (OperationStatus.InvalidData, [], terminator));
            data = data[(end + 1)..];
        }

        return results;
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds()
    {
        // Lines the chat tests send, in both styles the room accepts.
        yield return ("hello-crlf", FuzzInput.Format(0, [], "hello\r\nworld\n"u8));
        yield return ("nul-style", FuzzInput.Format(0, [], "seed\0style\0"u8));
        yield return ("byte-at-a-time", FuzzInput.Format(0, [1], "/nick alice\n/who\n"u8));
        yield return ("over-limit", FuzzInput.Format(8, [3, 5], "0123456789abcdef\nshort\n"u8));
        yield return ("cr-at-limit", FuzzInput.Format(4, [4, 1], "abcd\r\nabcde\r\n"u8));
        yield return ("partial-tail", FuzzInput.Format(0, [2], Encoding.UTF8.GetBytes("text to clean: \u009b2J \u202eevil\nno end")));
    }
}
