using System.Buffers;
using System.Text;

namespace Wirekit.Diagnostics.Ftp;

/// <summary>A server reply: a three-digit code and its text (all lines of a multi-line reply joined by '\n').</summary>
public sealed record FtpReply(int Code, string Text)
{
    public bool IsPreliminary => Code is >= 100 and < 200;
    public bool IsCompletion => Code is >= 200 and < 300;
    public bool IsIntermediate => Code is >= 300 and < 400;

    public override string ToString() => $"{Code} {Text}";
}

/// <summary>
/// Parses one reply from the control connection's bytes (RFC 959 §4.2). Pure: bytes in, reply and bytes consumed out.
/// A multi-line reply opens with "123-" and ends at a line starting "123 " (same code, then a space).
/// </summary>
internal static class FtpReplyParser
{
    // A reply longer than this is not an FTP server talking; refuse it rather than buffer without bound.
    public const int MaxReplyBytes = 16 * 1024;

    /// <remarks>
    /// The channel calls this after every receive with everything buffered, so a reply that arrives a byte at a time is
    /// looked at once per byte. The search for its end is therefore done on the bytes alone (a vectorised newline
    /// search and a code check per line), and the lines are decoded once, when the reply is complete: before, every
    /// call decoded every line so far, and a 16 KiB reply trickled byte by byte cost ~1 s of CPU and 16 K x its size
    /// in strings (found by fuzz/ ftp-reply as afl "hangs").
    /// </remarks>
    public static OperationStatus TryParse(ReadOnlySpan<byte> input, out FtpReply? reply, out int consumed)
    {
        reply = null;
        consumed = 0;
        var status = FindEnd(input, out var end, out var code);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        reply = new FtpReply(code, Text(input[..end]));
        consumed = end;
        return OperationStatus.Done;
    }

    /// <summary>Where the reply that starts <paramref name="input"/> ends (after its last '\n'), judged on bytes only.</summary>
    private static OperationStatus FindEnd(ReadOnlySpan<byte> input, out int end, out int code)
    {
        end = 0;
        code = 0;
        var offset = 0;
        var first = true;
        while (true)
        {
            var newline = input[offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return input.Length >= MaxReplyBytes ? OperationStatus.InvalidData : OperationStatus.NeedMoreData;
            }

            var line = input.Slice(offset, newline).TrimEnd((byte)'\r');
            offset += newline + 1;
            if (offset > MaxReplyBytes)
            {
                return OperationStatus.InvalidData;
            }

            if (first)
            {
                if (!TryReadCode(line, out code) || (line.Length > 3 && line[3] is not ((byte)' ' or (byte)'-')))
                {
                    return OperationStatus.InvalidData;
                }

                first = false;
                if (line.Length <= 3 || line[3] == (byte)' ')
                {
                    end = offset;
                    return OperationStatus.Done;
                }

                continue;
            }

            // Inside a multi-line reply; only "<same code><space>" ends it, other lines are text.
            if (line.Length >= 4 && line[3] == (byte)' ' && TryReadCode(line, out var last) && last == code)
            {
                end = offset;
                return OperationStatus.Done;
            }
        }
    }

    /// <summary>The text of a complete reply: its lines without the code of the first and last, joined by '\n'.</summary>
    private static string Text(ReadOnlySpan<byte> reply)
    {
        var lines = Encoding.UTF8.GetString(reply[..^1]).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        lines[0] = lines[0].Length > 4 ? lines[0][4..] : "";
        if (lines.Length > 1)
        {
            lines[^1] = lines[^1][4..];
        }

        return string.Join('\n', lines);
    }

    private static bool TryReadCode(ReadOnlySpan<byte> line, out int code)
    {
        code = 0;
        if (line.Length < 3 || line[0] is < (byte)'1' or > (byte)'5' || !char.IsAsciiDigit((char)line[1]) || !char.IsAsciiDigit((char)line[2]))
        {
            return false;
        }

        code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        return true;
    }
}
