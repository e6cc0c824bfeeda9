using System.Buffers;
using System.Globalization;
using System.Text;

namespace Wirekit.Chat;

/// <summary>
/// What of a peer's text may reach a terminal. Everything that can move the cursor, start an escape sequence,
/// reorder, hide or break a line becomes <c>?</c>: C0 controls except tab, DEL, C1 controls (U+0080-U+009F; CSI
/// U+009B and OSC U+009D start escape sequences in terminals that honour 8-bit controls), the line and paragraph
/// separators U+2028/9, and format characters (category Cf: bidi embeddings, overrides, isolates and marks, zero-width
/// spaces, the BOM, the soft hyphen, tag characters). ZWNJ and ZWJ (U+200C/D) stay: Persian, Indic scripts and emoji
/// sequences need them, and they neither move nor hide anything. Invalid UTF-8 becomes U+FFFD, one per maximal
/// invalid subsequence (the Unicode recommendation, as <see cref="Rune.DecodeFromUtf8"/> reports it).
/// Pure; only the string-returning <see cref="Clean(ReadOnlySpan{byte})"/> allocates.
/// </summary>
internal static class ChatText
{
    /// <summary>Bytes worth a closer look: C0 except tab, DEL, and every non-ASCII byte. Plain ASCII skips the decode.</summary>
    private static readonly SearchValues<byte> SuspectBytes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b != '\t').Select(b => (byte)b), .. Enumerable.Range(0x7F, 0x81).Select(b => (byte)b)]);

    private const byte Replacement = (byte)'?';

    /// <summary>The most bytes <see cref="Clean(ReadOnlySpan{byte}, Span{byte})"/> can write for <paramref name="length"/> input bytes.</summary>
    public static int MaxCleanedLength(int length) => length * 3; // a lone invalid byte becomes U+FFFD, 3 bytes

    /// <summary>True when <paramref name="rune"/> may be shown to others as it is.</summary>
    public static bool IsShown(Rune rune)
    {
        var value = rune.Value;
        if (value < 0x7F)
        {
            return value >= 0x20 || value == '\t';
        }

        if (value <= 0x9F)
        {
            return false; // DEL and C1
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Format => value is 0x200C or 0x200D,
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    /// <summary>True when <paramref name="utf8"/> is valid and every character in it is shown as it is.</summary>
    public static bool IsClean(ReadOnlySpan<byte> utf8)
    {
        var first = utf8.IndexOfAny(SuspectBytes);
        if (first < 0)
        {
            return true;
        }

        var rest = utf8[first..];
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) != OperationStatus.Done || !IsShown(rune))
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }

    /// <summary>
    /// Writes <paramref name="utf8"/> cleaned to <paramref name="destination"/>, which holds at least
    /// <see cref="MaxCleanedLength"/> bytes; returns the bytes written.
    /// </summary>
    public static int Clean(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var written = 0;
        while (!utf8.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // Invalid or cut short: the decoder already gave U+FFFD and the length of the bad subsequence.
                rune = Rune.ReplacementChar;
            }

            if (IsShown(rune))
            {
                written += rune.EncodeToUtf8(destination[written..]);
            }
            else
            {
                destination[written++] = Replacement;
            }

            utf8 = utf8[consumed..];
        }

        return written;
    }

    /// <summary>The peer's bytes as a string, cleaned the same way: for command arguments and for printing.</summary>
    public static string Clean(ReadOnlySpan<byte> utf8)
    {
        if (IsClean(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxCleanedLength(utf8.Length));
        try
        {
            return Encoding.UTF8.GetString(buffer, 0, Clean(utf8, buffer));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A string from a trusted-but-careless source (the operator's --motd), cleaned the same way.</summary>
    public static string Clean(string text) => Clean(Encoding.UTF8.GetBytes(text));
}
