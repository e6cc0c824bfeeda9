using System.Text;

namespace Wirekit.Diagnostics;

/// <summary>
/// An HTTP/1.x response head as the server sent it: the status line and header lines in their order, case and
/// folding (RFC 9112 §2.2, §5.2). Pure: bytes in, lines and fields out.
/// </summary>
public sealed class ResponseHead
{
    private ResponseHead(IReadOnlyList<string> lines, int status, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        Lines = lines;
        Status = status;
        Fields = fields;
    }

    /// <summary>Status line first, then every header line as received (a folded header keeps its continuation lines).</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The status code, or 0 when the status line has none.</summary>
    public int Status { get; }

    /// <summary>Each header once, in order: the name in the server's case, a folded value joined by one space (§5.2).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    internal bool IsInterim => Status is >= 100 and < 200;

    /// <summary>Index just past the blank line that ends a head, searching from <paramref name="from"/>; -1 while incomplete.</summary>
    internal static int EndOf(ReadOnlySpan<byte> bytes, int from)
    {
        for (var i = bytes[from..].IndexOf((byte)'\n'); i >= 0; i = bytes[from..].IndexOf((byte)'\n'))
        {
            var at = from + i;
            // "\n\n" or "\n\r\n": servers may end lines with a bare LF, and HttpClient accepts it.
            if (at + 1 < bytes.Length && bytes[at + 1] == '\n')
            {
                return at + 2;
            }

            if (at + 2 < bytes.Length && bytes[at + 1] == '\r' && bytes[at + 2] == '\n')
            {
                return at + 3;
            }

            from = at + 1;
        }

        return -1;
    }

    /// <summary>Parses a complete head (status line to blank line, as <see cref="EndOf"/> delimits it).</summary>
    internal static ResponseHead Parse(ReadOnlySpan<byte> head)
    {
        // Header bytes are ISO-8859-1 by definition (RFC 9110 §5.5): every byte maps to one character.
        var lines = Encoding.Latin1.GetString(head).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var statusWords = lines.Count > 0 ? lines[0].Split(' ', 3) : [];
        var status = statusWords.Length > 1 && int.TryParse(statusWords[1], out var code) ? code : 0;
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && fields.Count > 0)
            {
                var (name, value) = fields[^1];
                fields[^1] = new(name, $"{value} {line.Trim(' ', '\t')}".Trim());
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                fields.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
            }
        }

        return new ResponseHead(lines, status, fields);
    }
}
