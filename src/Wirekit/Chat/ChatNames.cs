using System.Globalization;
using System.Text;

namespace Wirekit.Chat;

/// <summary>Why a name cannot be a member's; <see cref="ChatWording.Explain"/> says it to the member.</summary>
internal enum NameRefusal
{
    Length,
    Characters,
    Start,

    /// <summary>Looks like <c>server</c>: nobody may pass for the server.</summary>
    Reserved,

    /// <summary>Looks like some <c>user&lt;N&gt;</c>, the name a newcomer gets.</summary>
    DefaultName,

    /// <summary>Another member holds a name that looks the same.</summary>
    Taken,

    /// <summary>The member already has exactly this name.</summary>
    Unchanged,
}

/// <summary>
/// The rules for a chat name: letters of any script, digits and <c>_ - .</c>; short; nothing invisible or styled;
/// and never mistaken for the server, a default name or another member's (<see cref="NameSkeleton"/>).
/// </summary>
internal static class ChatNames
{
    /// <summary>Characters (code points) in a name. Korean, say, takes two columns each: at most 48 columns.</summary>
    public const int MaxLength = 24;

    /// <summary>Combining marks on one letter: Vietnamese needs two, some Indic clusters three.</summary>
    private const int MaxMarksInARow = 3;

    private static readonly string ServerSkeleton = NameSkeleton.Of("server");

    /// <summary>The default name of session <paramref name="sessionId"/>.</summary>
    public static string Default(long sessionId) => $"user{sessionId}";

    /// <summary>The key a name is unique by: two names with one skeleton look alike (<see cref="NameSkeleton"/>).</summary>
    public static string Key(string name) => NameSkeleton.Of(name);

    /// <summary>Null when <paramref name="name"/> may be taken by anyone; whether it is free is the room's to say.</summary>
    public static NameRefusal? Check(string name)
    {
        var length = 0;
        var marksInARow = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (++length > MaxLength)
            {
                return NameRefusal.Length;
            }

            var category = Rune.GetUnicodeCategory(rune);
            var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            if (!(Rune.IsLetter(rune) || isMark || category == UnicodeCategory.DecimalDigitNumber || rune.Value is '_' or '-' or '.')
                || IsLookAlikeOrInvisible(rune.Value))
            {
                return NameRefusal.Characters;
            }

            if (length == 1 && (isMark || rune.Value is '-' or '.'))
            {
                return NameRefusal.Start;
            }

            // Accents stacked past any script's need ("Zalgo" text) spill over the lines above and below.
            marksInARow = isMark ? marksInARow + 1 : 0;
            if (marksInARow > MaxMarksInARow)
            {
                return NameRefusal.Characters;
            }
        }

        if (length == 0)
        {
            return NameRefusal.Length;
        }

        var skeleton = NameSkeleton.Of(name);
        if (skeleton == ServerSkeleton)
        {
            return NameRefusal.Reserved;
        }

        // user<N> is what session N is called until it picks a name; taking it (or a look-alike such as USER1O)
        // would make the next user<N> clash.
        return IsDefaultSkeleton(skeleton) ? NameRefusal.DefaultName : null;
    }

    /// <summary>
    /// Letters and marks a name may not use although Unicode calls them letters or marks: ones that show nothing
    /// (the Hangul fillers, the Khmer inherent vowels, variation selectors, the combining grapheme joiner, the
    /// Mongolian variation selectors), and styled copies of Latin letters the skeleton does not fold (mathematical
    /// alphanumerics such as U+1D41A, letterlike symbols such as U+2113, superscript and small-capital modifier letters).
    /// </summary>
    private static bool IsLookAlikeOrInvisible(int value) => value is
        0x115F or 0x1160 or 0x3164 or 0xFFA0 // Hangul fillers
        or 0x17B4 or 0x17B5 // Khmer inherent vowels
        or 0x034F // combining grapheme joiner
        or (>= 0x180B and <= 0x180F) // Mongolian variation selectors
        or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) // variation selectors
        or (>= 0x02B0 and <= 0x02FF) // spacing modifier letters
        or (>= 0x1D00 and <= 0x1DBF) // phonetic extensions: small capitals, superscripts
        or (>= 0x2100 and <= 0x214F) // letterlike symbols
        or (>= 0x1D400 and <= 0x1D7FF); // mathematical alphanumeric symbols

    /// <summary>The skeleton of some user&lt;digits&gt;: digits fold to themselves, except 0 and 1, which read as o and l.</summary>
    private static bool IsDefaultSkeleton(string skeleton)
        => skeleton.Length > 4 && skeleton.StartsWith("user", StringComparison.Ordinal) && skeleton.AsSpan(4).IndexOfAnyExcept("ol23456789") < 0;
}
