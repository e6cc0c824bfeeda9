using System.Globalization;
using System.Text;

namespace Wirekit.Cli.Terminal;

/// <summary>
/// How many terminal columns text takes: East Asian Wide and Fullwidth characters (Hangul, CJK, kana) and emoji two,
/// others one. By block, not by the full Unicode width table: generous rather than exact. Not covered: a terminal set
/// to draw East Asian "ambiguous" characters (Greek, Cyrillic, box drawing) two columns wide.
/// </summary>
internal static class TextColumns
{
    /// <summary>Columns of one user-perceived character (a grapheme: an emoji sequence or a letter with its marks).</summary>
    public static int OfGrapheme(ReadOnlySpan<char> grapheme)
    {
        if (Rune.DecodeFromUtf16(grapheme, out var first, out _) != System.Buffers.OperationStatus.Done)
        {
            return 1;
        }

        // VS16 asks for the emoji picture (two columns) of a character that is text-width by default, e.g. U+2764.
        return IsWide(first.Value) || grapheme.Contains('\uFE0F') ? 2 : 1;
    }

    /// <summary>Columns of a whole string, grapheme by grapheme.</summary>
    public static int Of(string text)
    {
        var columns = 0;
        for (var i = 0; i < text.Length;)
        {
            var length = StringInfo.GetNextTextElementLength(text, i);
            columns += OfGrapheme(text.AsSpan(i, length));
            i += length;
        }

        return columns;
    }

    /// <summary>East Asian Wide and Fullwidth, and emoji, by block.</summary>
    public static bool IsWide(int value) => value is
        (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6)
        or (>= 0x1F300 and <= 0x1FAFF) or (>= 0x20000 and <= 0x3FFFD);
}
