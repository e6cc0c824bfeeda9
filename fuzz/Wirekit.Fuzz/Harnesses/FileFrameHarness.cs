using System.Buffers;
using System.Buffers.Binary;
using Wirekit.Transfer;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// <see cref="FileFrameReader"/> as <see cref="FrameConnection"/> drives it: after each chunk arrives, frames are cut
/// from everything buffered and not yet consumed (a multi-segment sequence), and each frame's payload goes to the
/// decoder its code selects (<see cref="FileMessageChecks"/>). Even modes read as the server does (64 KiB requests),
/// odd modes as the client does (16 MiB lists, 64 KiB replies).
/// </summary>
public sealed class FileFrameHarness : IHarness
{
    public string Name => "file-frames";

    public void Run(FuzzInput input)
    {
        Func<int, int> maxPayload = input.Mode % 2 == 0 ? _ => FileProtocol.MaxRequestPayload : FileProtocol.MaxReplyPayloadFor;
        var data = input.Data;
        var buffered = new List<ReadOnlyMemory<byte>>();
        long consumedTotal = 0;
        foreach (var chunk in input.Chunks())
        {
            buffered.Add(chunk);
            while (true)
            {
                var sequence = ChunkSequence.Of(buffered);
                var status = FileFrameReader.TryRead(sequence, maxPayload, out var frame, out var consumed);
                var used = sequence.Slice(sequence.Start, consumed).Length;
                Invariant.Holds(used <= sequence.Length, "consumed <= available");
                var at = (int)consumedTotal;
                if (status == OperationStatus.NeedMoreData)
                {
                    Invariant.Equal(0L, used, "NeedMoreData consumes nothing");
                    Invariant.Holds(sequence.Length < FileProtocol.HeaderSize || sequence.Length < FileProtocol.HeaderSize + (long)DeclaredSize(data, at),
                        "NeedMoreData only while the header or its payload is incomplete");
                    break;
                }

                var code = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));
                var size = DeclaredSize(data, at);
                Invariant.Equal(code, frame.Code, "frame code");
                if (status == OperationStatus.InvalidData)
                {
                    // Refused before any payload was awaited: the bound is checked on the header alone.
                    Invariant.Holds(size < 0 || size > maxPayload(code), "InvalidData only for a size out of bounds");
                    Invariant.Equal(0L, frame.Payload.Length, "a refused frame carries no payload");
                    return;
                }

                Invariant.Holds(size >= 0 && size <= maxPayload(code), "a frame's size is within its bound");
                Invariant.Equal(FileProtocol.HeaderSize + (long)size, used, "a frame consumes header and payload, nothing more");
                Invariant.SameBytes(data.AsSpan(at + FileProtocol.HeaderSize, size), frame.Payload.ToArray(), "payload is the bytes after the header");
                FileMessageChecks.Check(frame, data.AsSpan(at, FileProtocol.HeaderSize + size));
                consumedTotal += used;
                ChunkSequence.DropPrefix(buffered, used);
            }
        }
    }

    private static int DeclaredSize(byte[] data, int at) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at + 4));

    public IEnumerable<(string Name, byte[] Input)> Seeds()
    {
        var hash = UInt128.Parse("0123456789abcdef0123456789abcdef", System.Globalization.NumberStyles.HexNumber);
        var requests = new (string, byte[])[]
        {
            ("get-list", ClassicMessages.FormatRequest(FileCommandCode.GetList)),
            ("get-file", ClassicMessages.FormatGetFile(3)),
            ("auth", ModernMessages.FormatAuth("s3cret")),
            ("list", ClassicMessages.FormatRequest(FileCommandCode.List)),
            ("get", ModernMessages.FormatGet("report.pdf", 4096, FileProtocol.ToEnd)),
            ("get-utf8", ModernMessages.FormatGet("사진.jpg", 0, 10)),
        };
        var replies = new (string, byte[])[]
        {
            ("error", ClassicMessages.FormatError(FileErrorCode.NotFound, "no such file")),
            ("classic-list", ClassicMessages.FormatFileList([("a.txt", 5), ("b.bin", 1 << 20)])),
            ("begin-file", ClassicMessages.FormatBeginFile(1, "b.bin", 1 << 20)),
            ("auth-ok", ClassicMessages.FormatRequest(FileCommandCode.AuthOk)),
            ("file-list", ModernMessages.FormatFileList([new FileEntry("a.txt", 5, 1_700_000_000_000, hash), new FileEntry("사진.jpg", 0, 0, 0)], out _)),
            ("file-reply", ModernMessages.FormatFileReply(new FileReply(1 << 20, 1_700_000_000_000, hash, 4096, 100))),
        };
        foreach (var (name, frame) in requests)
        {
            yield return ($"server-{name}", FuzzInput.Format(0, [], frame));
        }

        foreach (var (name, frame) in replies)
        {
            yield return ($"client-{name}", FuzzInput.Format(1, [], frame));
        }

        yield return ("server-pipelined-split", FuzzInput.Format(0, [1, 7, 3], [.. requests.SelectMany(r => r.Item2)]));
        yield return ("client-pipelined-split", FuzzInput.Format(1, [5, 0], [.. replies.SelectMany(r => r.Item2)]));
        yield return ("server-too-large", FuzzInput.Format(0, [], ClassicMessages.FormatGetFile(0).AsSpan(0, 4).ToArray().Concat(BitConverter.GetBytes(FileProtocol.MaxRequestPayload + 1)).ToArray()));
    }
}
