using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirekit.Transfer;

namespace Wirekit.Tests.Properties;

/// <summary>decode(encode(x)) = x for every modern and classic file message, on generated values (issue 13 §3).</summary>
public sealed class FileMessageProperties
{
    [Property]
    public Property A_get_request_decodes_to_what_was_encoded(NonEmptyString name, ulong offset, ulong length)
    {
        var sent = Utf8(name.Get);
        return Prop.When(Encoding.UTF8.GetByteCount(sent) <= FileProtocol.MaxNameBytes, () =>
        {
            var frame = Frame(ModernMessages.FormatGet(sent, offset, length), FileCommandCode.Get);
            return ModernMessages.TryParseGet(frame.Payload, out var gotName, out var gotOffset, out var gotLength)
                && (gotName, gotOffset, gotLength) == (sent, offset, length);
        });
    }

    [Property]
    public bool A_file_reply_decodes_to_what_was_encoded(ulong size, long mtime, ulong hashHigh, ulong hashLow, ulong offset, ulong length)
    {
        var reply = new FileReply(size, mtime, new UInt128(hashHigh, hashLow), offset, length);
        var frame = Frame(ModernMessages.FormatFileReply(reply), FileCommandCode.File);
        return ModernMessages.TryParseFileReply(frame.Payload, out var got) && got == reply;
    }

    [Property]
    public bool A_modern_list_decodes_to_what_was_encoded(NonEmptyString[] names, NonNegativeInt[] sizes, long mtime, ulong hash)
    {
        var entries = names.Select((n, i) => new FileEntry(Utf8(n.Get), sizes.Length == 0 ? 0 : sizes[i % sizes.Length].Get, mtime + i, hash * (ulong)(i + 1)))
            .Where(e => Encoding.UTF8.GetByteCount(e.Name) <= FileProtocol.MaxNameBytes)
            .ToList();
        var frame = Frame(ModernMessages.FormatFileList(entries, out var written), FileCommandCode.FileList);
        return written == entries.Count && ModernMessages.ParseFileList(frame.Payload) is { } got && got.SequenceEqual(entries);
    }

    [Property]
    public bool A_classic_list_decodes_to_what_was_encoded(NonEmptyString[] names, uint[] sizes)
    {
        var files = names.Select((n, i) => (Name: Utf8(n.Get).Replace("\0", ""), Size: sizes.Length == 0 ? 0u : sizes[i % sizes.Length]))
            .Where(f => ClassicMessages.FitsNameField(f.Name))
            .ToList();
        var frame = Frame(ClassicMessages.FormatFileList(files), FileCommandCode.SendFileList);
        return ClassicMessages.ParseFileList(frame.Payload) is { } got
            && got.Select(f => f.Index).SequenceEqual(Enumerable.Range(0, files.Count).Select(i => (uint)i))
            && got.Select(f => (f.Name, f.Size)).SequenceEqual(files);
    }

    [Property]
    public bool A_get_file_request_decodes_to_what_was_encoded(uint index)
        => ClassicMessages.TryParseGetFile(Frame(ClassicMessages.FormatGetFile(index), FileCommandCode.GetFile).Payload, out var got) && got == index;

    [Property]
    public bool An_error_decodes_to_what_was_encoded_cut_to_its_field(int code, string? description)
    {
        var text = Utf8(description ?? "").Replace("\0", "");
        var (gotCode, gotDescription) = ClassicMessages.ParseError(Frame(ClassicMessages.FormatError((FileErrorCode)code, text), FileCommandCode.Error).Payload);
        // The field keeps 255 bytes cut on a character boundary: what came back is the longest such prefix.
        return gotCode == (FileErrorCode)code && text.StartsWith(gotDescription, StringComparison.Ordinal)
            && Encoding.UTF8.GetByteCount(gotDescription) < FileProtocol.ErrorDescField
            && (gotDescription.Length == text.Length || Encoding.UTF8.GetByteCount(text[..(gotDescription.Length + (char.IsHighSurrogate(text[gotDescription.Length]) ? 2 : 1))]) >= FileProtocol.ErrorDescField);
    }

    /// <summary>What a string is once it has been through UTF-8 (a lone surrogate becomes U+FFFD).</summary>
    internal static string Utf8(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>The one frame a message encodes to, cut by the reader with the bounds a client uses.</summary>
    private static FileFrame Frame(byte[] message, FileCommandCode code)
    {
        var status = FileFrameReader.TryRead(new ReadOnlySequence<byte>(message), FileProtocol.MaxReplyPayloadFor, out var frame, out var consumed);
        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal((int)code, frame.Code);
        Assert.Equal(message.Length, new ReadOnlySequence<byte>(message).Slice(0, consumed).Length);
        return frame;
    }
}
