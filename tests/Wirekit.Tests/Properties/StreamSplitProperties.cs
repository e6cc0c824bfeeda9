using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirekit.Framing;
using Wirekit.Fuzz;
using Wirekit.Transfer;

namespace Wirekit.Tests.Properties;

/// <summary>
/// Any split of a valid stream (one byte at a time, generated chunk sizes, all at once) yields the same frames, and any
/// byte string is either framed or refused with a bounded error after a bounded number of bytes (issue 13 §3). The
/// splits are the fuzz harnesses' own (<see cref="FuzzInput"/>), so a property and a fuzz case cut a stream alike.
/// </summary>
public sealed class StreamSplitProperties
{
    private const int Limit = 4096;

    [Property]
    public bool Lines_come_out_as_sent_whatever_the_split(string[] texts, byte[] style, byte[] sizes)
    {
        // Terminators and CR are the framing's own bytes (a CR before \n is dropped): the messages are made without them.
        var messages = texts.Select(t => Encoding.UTF8.GetBytes(t ?? "")).Select(b => b.Where(x => x is not ((byte)'\n' or (byte)'\r' or 0)).ToArray()).ToList();
        var stream = messages.SelectMany((m, i) => m.Concat(Terminator(style.Length == 0 ? (byte)0 : style[i % style.Length]))).ToArray();
        return Splits(sizes).All(split => Lines(Chunks(stream, split)).Select(Convert.ToHexString).SequenceEqual(messages.Select(Convert.ToHexString)));
    }

    [Property]
    public bool Frames_come_out_as_sent_whatever_the_split(int[] codes, byte[][] payloads, byte[] sizes)
    {
        var frames = payloads.Select((p, i) => (Code: codes.Length == 0 ? 0 : codes[i % codes.Length], Payload: p ?? [])).ToList();
        var stream = frames.SelectMany(f => Header(f.Code, f.Payload.Length).Concat(f.Payload)).ToArray();
        return Splits(sizes).All(split => Frames(Chunks(stream, split), out var rest)
            .Select(f => (f.Code, Convert.ToHexString(f.Payload)))
            .SequenceEqual(frames.Select(f => (f.Code, Convert.ToHexString(f.Payload)))) && rest == 0);
    }

    [Property]
    public Property Any_bytes_are_framed_or_refused_on_the_header_alone(byte[] bytes, int code, int size)
    {
        var stream = Header(code, size).Concat(bytes).ToArray();
        var status = FileFrameReader.TryRead(new ReadOnlySequence<byte>(stream), _ => Limit, out _, out var consumed);
        var examined = new ReadOnlySequence<byte>(stream).Slice(0, consumed).Length;
        var headerAlone = FileFrameReader.TryRead(new ReadOnlySequence<byte>(stream, 0, FileProtocol.HeaderSize), _ => Limit, out _, out _);
        return (status switch
        {
            OperationStatus.InvalidData => headerAlone == OperationStatus.InvalidData && (size < 0 || size > Limit),
            OperationStatus.Done => examined == FileProtocol.HeaderSize + size && size <= Limit,
            _ => stream.Length < FileProtocol.HeaderSize + (long)size && size is >= 0 and <= Limit,
        }).Classify(status == OperationStatus.InvalidData, "refused").Classify(status == OperationStatus.Done, "framed");
    }

    [Property]
    public bool Any_bytes_leave_the_line_framer_within_its_bound(byte[] bytes, byte[] sizes, PositiveInt limit)
    {
        var max = 1 + (limit.Get % 64);
        var framer = new LineFramer(max);
        foreach (var chunk in Chunks(bytes, sizes.Take(7).ToArray()))
        {
            var rest = chunk.Span;
            while (!rest.IsEmpty)
            {
                if (framer.TryRead(ref rest, out var message, out _) == OperationStatus.Done && message.Length > max)
                {
                    return false;
                }

                if (framer.PendingBytes > max + 1)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static byte[] Terminator(byte style) => (style % 3) switch { 0 => "\n"u8.ToArray(), 1 => "\r\n"u8.ToArray(), _ => [0] };

    private static byte[] Header(int code, int size)
    {
        var header = new byte[FileProtocol.HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, code);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), size);
        return header;
    }

    /// <summary>One byte at a time, the generated sizes, and all at once.</summary>
    private static IEnumerable<byte[]> Splits(byte[] sizes) => [[1], sizes.Take(7).ToArray(), []];

    private static List<ReadOnlyMemory<byte>> Chunks(byte[] stream, byte[] sizes) => FuzzInput.Parse(FuzzInput.Format(0, sizes, stream)).Chunks().ToList();

    private static List<byte[]> Lines(List<ReadOnlyMemory<byte>> chunks)
    {
        var framer = new LineFramer(Limit);
        var lines = new List<byte[]>();
        foreach (var chunk in chunks)
        {
            var rest = chunk.Span;
            while (!rest.IsEmpty)
            {
                if (framer.TryRead(ref rest, out var message, out _) == OperationStatus.Done)
                {
                    lines.Add(message.ToArray());
                }
            }
        }

        return lines;
    }

    /// <summary>Frames as a pipe reader gets them: after each chunk, everything buffered (multi-segment) is cut.</summary>
    private static List<(int Code, byte[] Payload)> Frames(List<ReadOnlyMemory<byte>> chunks, out long rest)
    {
        var frames = new List<(int, byte[])>();
        var buffered = new List<ReadOnlyMemory<byte>>();
        foreach (var chunk in chunks)
        {
            buffered.Add(chunk);
            while (true)
            {
                var sequence = ChunkSequence.Of(buffered);
                if (FileFrameReader.TryRead(sequence, _ => int.MaxValue, out var frame, out var consumed) != OperationStatus.Done)
                {
                    break;
                }

                frames.Add((frame.Code, frame.Payload.ToArray()));
                ChunkSequence.DropPrefix(buffered, sequence.Slice(0, consumed).Length);
            }
        }

        rest = buffered.Sum(b => (long)b.Length);
        return frames;
    }
}
