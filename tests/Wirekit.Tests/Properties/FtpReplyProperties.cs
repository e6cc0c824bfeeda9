using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirekit.Diagnostics.Ftp;

namespace Wirekit.Tests.Properties;

/// <summary>
/// FTP replies: a reply decodes to its code and text; any byte string is parsed or refused, and the parser decides
/// from its first <see cref="FtpReplyParser.MaxReplyBytes"/> bytes, whatever follows (issue 13 §3).
/// </summary>
public sealed class FtpReplyProperties
{
    [Property]
    public bool A_reply_decodes_to_its_code_and_lines(PositiveInt codeSeed, NonEmptyString[] lines)
    {
        var code = 100 + (codeSeed.Get % 500);
        var texts = lines.Select(l => new string([.. l.Get.Where(c => c is not ('\r' or '\n') && !char.IsSurrogate(c))])).ToList();
        if (texts.Count == 0)
        {
            texts.Add("");
        }

        // Continuation lines that could be read as the end line are indented, as RFC 959 asks of servers.
        var wire = texts.Count == 1
            ? $"{code} {texts[0]}\r\n"
            : $"{code}-{texts[0]}\r\n" + string.Concat(texts.Skip(1).SkipLast(1).Select(t => $" {t}\r\n")) + $"{code} {texts[^1]}\r\n";
        var expected = texts.Count == 1 ? texts[0] : string.Join('\n', [texts[0], .. texts.Skip(1).SkipLast(1).Select(t => $" {t}"), texts[^1]]);
        var bytes = Encoding.UTF8.GetBytes(wire + "221 next reply\r\n");
        return FtpReplyParser.TryParse(bytes, out var reply, out var consumed) == OperationStatus.Done
            && consumed == Encoding.UTF8.GetByteCount(wire) && reply!.Code == code && reply.Text == expected.TrimEnd('\r');
    }

    [Property]
    public Property Any_bytes_are_decided_within_the_reply_bound(byte[] start, PositiveInt fillerSeed, byte filler)
    {
        // Bytes past the bound, so both outcomes (a reply inside it, or a refusal) are reached.
        var input = start.Concat(Enumerable.Repeat(filler, fillerSeed.Get * 300)).ToArray();
        var status = FtpReplyParser.TryParse(input, out var reply, out var consumed);
        var bounded = input.AsSpan(0, Math.Min(input.Length, FtpReplyParser.MaxReplyBytes)).ToArray();
        var boundedStatus = FtpReplyParser.TryParse(bounded, out var boundedReply, out var boundedConsumed);
        var decidedAlike = input.Length < FtpReplyParser.MaxReplyBytes
            || (status == boundedStatus && consumed == boundedConsumed && reply?.ToString() == boundedReply?.ToString());
        return (decidedAlike && consumed <= FtpReplyParser.MaxReplyBytes
            && (status != OperationStatus.NeedMoreData || input.Length < FtpReplyParser.MaxReplyBytes))
            .Classify(status == OperationStatus.Done, "reply").Classify(status == OperationStatus.InvalidData, "refused");
    }
}
