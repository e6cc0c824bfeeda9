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

    public static OperationStatus TryParse(ReadOnlySpan<byte> input, out FtpReply? reply, out int consumed)
    {
        reply = null;
        consumed = 0;
        var lines = new List<string>();
        var offset = 0;
        int? code = null;
        while (true)
        {
            var newline = input[offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return input.Length >= MaxReplyBytes ? OperationStatus.InvalidData : OperationStatus.NeedMoreData;
            }

            var line = Encoding.UTF8.GetString(input.Slice(offset, newline)).TrimEnd('\r');
            offset += newline + 1;
            if (offset > MaxReplyBytes)
            {
                return OperationStatus.InvalidData;
            }

            if (code is null)
            {
                if (!TryReadCode(line, out var first) || (line.Length > 3 && line[3] is not (' ' or '-')))
                {
                    return OperationStatus.InvalidData;
                }

                code = first;
                lines.Add(line.Length > 4 ? line[4..] : "");
                if (line.Length <= 3 || line[3] == ' ')
                {
                    break;
                }

                continue;
            }

            // Inside a multi-line reply; only "<same code><space>" ends it, other lines are text.
            if (line.Length >= 4 && line[3] == ' ' && TryReadCode(line, out var last) && last == code)
            {
                lines.Add(line[4..]);
                break;
            }

            lines.Add(line);
        }

        reply = new FtpReply(code.Value, string.Join('\n', lines));
        consumed = offset;
        return OperationStatus.Done;
    }

    private static bool TryReadCode(string line, out int code)
    {
        code = 0;
        if (line.Length < 3 || line[0] is < '1' or > '5' || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]))
        {
            return false;
        }

        code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        return true;
    }
}
