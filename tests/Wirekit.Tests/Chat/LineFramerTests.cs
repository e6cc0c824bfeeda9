using System.Buffers;
using System.Text;
using Wirekit.Framing;

namespace Wirekit.Tests.Chat;

public sealed class LineFramerTests
{
    [Fact]
    public void Splits_newline_and_nul_terminated_messages_and_drops_the_CR_before_LF()
    {
        var frames = ReadAll(new LineFramer(100), "hello\r\nworld\0a\rb\n\n"u8.ToArray());

        Assert.Equal(
            [("hello", LineTerminator.Newline), ("world", LineTerminator.Nul), ("a\rb", LineTerminator.Newline), ("", LineTerminator.Newline)],
            frames);
    }

    [Fact]
    public void Keeps_a_partial_message_until_its_terminator_arrives()
    {
        var framer = new LineFramer(100);

        Assert.Empty(ReadAll(framer, "hel"u8.ToArray()));
        Assert.Equal(3, framer.PendingBytes);
        Assert.Equal([("hello", LineTerminator.Nul)], ReadAll(framer, "lo\0"u8.ToArray()));
        Assert.Equal(0, framer.PendingBytes);
    }

    [Fact]
    public void A_message_at_the_limit_passes_and_one_byte_more_is_reported_once_and_dropped()
    {
        var framer = new LineFramer(8);
        var input = "12345678\r\n123456789\nnext\n"u8.ToArray();

        var results = ReadAll(framer, input, includeErrors: true);

        Assert.Equal([("12345678", LineTerminator.Newline), ("<too long>", LineTerminator.Newline), ("next", LineTerminator.Newline)], results);
    }

    [Fact]
    public void An_over_long_message_fed_a_byte_at_a_time_never_grows_the_buffer_past_the_limit()
    {
        var framer = new LineFramer(16);
        var results = new List<(string, LineTerminator)>();
        var input = Encoding.ASCII.GetBytes(new string('x', 10_000) + "\0ok\n");
        for (var i = 0; i < input.Length; i++)
        {
            results.AddRange(ReadAll(framer, input.AsSpan(i, 1).ToArray(), includeErrors: true));
            Assert.True(framer.PendingBytes <= 17);
        }

        Assert.Equal([("<too long>", LineTerminator.Nul), ("ok", LineTerminator.Newline)], results);
    }

    [Fact]
    public void Any_split_of_the_stream_yields_the_same_messages()
    {
        var random = new Random(20261127);
        for (var round = 0; round < 300; round++)
        {
            var max = random.Next(1, 40);
            var stream = RandomStream(random, out var expected, max);
            var framer = new LineFramer(max);
            var got = new List<(string, LineTerminator)>();
            var offset = 0;
            while (offset < stream.Length)
            {
                var size = Math.Min(stream.Length - offset, random.Next(0, 4) == 0 ? 1 : random.Next(1, 60));
                got.AddRange(ReadAll(framer, stream.AsSpan(offset, size).ToArray(), includeErrors: true));
                offset += size;
            }

            Assert.Equal(expected, got);
        }
    }

    private static byte[] RandomStream(Random random, out List<(string, LineTerminator)> expected, int max)
    {
        expected = [];
        var stream = new List<byte>();
        var alphabet = "ab c\r\t\u00e9"u8.ToArray();
        for (var i = 0; i < random.Next(1, 30); i++)
        {
            var length = random.Next(0, max + 5);
            var body = Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var terminator = random.Next(2) == 0 ? LineTerminator.Newline : LineTerminator.Nul;
            stream.AddRange(body);
            stream.Add((byte)terminator);
            var content = terminator == LineTerminator.Newline && body.Length > 0 && body[^1] == '\r' ? body[..^1] : body;
            expected.Add((content.Length > max ? "<too long>" : Encoding.Latin1.GetString(content), terminator));
        }

        return [.. stream];
    }

    private static List<(string, LineTerminator)> ReadAll(LineFramer framer, byte[] input, bool includeErrors = false)
    {
        var results = new List<(string, LineTerminator)>();
        ReadOnlySpan<byte> span = input;
        while (true)
        {
            var status = framer.TryRead(ref span, out var message, out var terminator);
            if (status == OperationStatus.NeedMoreData)
            {
                Assert.True(span.IsEmpty);
                return results;
            }

            if (status == OperationStatus.Done)
            {
                results.Add((Encoding.Latin1.GetString(message), terminator));
            }
            else if (includeErrors)
            {
                results.Add(("<too long>", terminator));
            }
            else
            {
                Assert.Fail("unexpected over-long message");
            }
        }
    }
}
