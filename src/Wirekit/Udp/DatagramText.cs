using System.Text;

namespace Wirekit.Udp;

/// <summary>How a received payload is shown: as text when it is printable UTF-8, otherwise as a hex dump.</summary>
public static class DatagramText
{
    public static bool LooksLikeText(ReadOnlySpan<byte> payload)
    {
        if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            return false;
        }

        foreach (var b in payload)
        {
            // Control characters other than tab/newline/CR mean binary; a trailing NUL is the seed's C-string habit.
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0)
            {
                return false;
            }
        }

        return true;
    }

    public static string AsText(ReadOnlySpan<byte> payload)
        => Encoding.UTF8.GetString(payload).TrimEnd('\0', '\r', '\n');

    /// <summary>16 bytes a row: offset, hex, printable ASCII (the layout of `xxd`/`hexdump -C`).</summary>
    public static string HexDump(ReadOnlySpan<byte> payload)
    {
        var text = new StringBuilder();
        for (var offset = 0; offset < payload.Length; offset += 16)
        {
            var row = payload.Slice(offset, Math.Min(16, payload.Length - offset));
            text.Append(offset.ToString("x8")).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                text.Append(i < row.Length ? row[i].ToString("x2") + " " : "   ");
                if (i == 7)
                {
                    text.Append(' ');
                }
            }

            text.Append(" |");
            foreach (var b in row)
            {
                text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }

            text.Append('|').AppendLine();
        }

        return text.ToString().TrimEnd('\n');
    }
}
