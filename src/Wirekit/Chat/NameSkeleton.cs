using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Wirekit.Chat;

/// <summary>
/// A chat name folded to what a reader sees, so two names that look alike have the same skeleton and cannot both be
/// in the room. The fold, in order, per character: fullwidth ASCII becomes ASCII; a combining diacritic
/// (U+0300-U+036F) is dropped; a digit of any script becomes its ASCII digit; a character listed below becomes the
/// Latin letters it is mistaken for (Latin with diacritics, the Cyrillic and Greek letters shaped like Latin ones,
/// 0 as o, and i, l and 1 as one letter, since capital I and l look the same and i is I's lower case); anything
/// else is lower-cased. Then "rn" reads as "m" and "vv" as "w".
/// It is not UTS #39's skeleton: that needs confusables.txt (6,000+ mappings) and normalisation, which the
/// invariant globalisation mode this build runs in does not have. It covers what impersonation in a room of
/// mostly Latin names uses (case, digits for letters, I/l, Cyrillic and Greek look-alikes, accents), and the table
/// here is the one place to extend. Conservative by design: a false match only means "pick another name".
/// </summary>
internal static class NameSkeleton
{
    /// <summary>Tried first, on the character as written: Greek capitals that look like another Latin letter than their lower case does.</summary>
    private static readonly FrozenDictionary<int, string> AsWritten = Table(
        ("h", "\u0397"), // Greek Eta (its lower case η reads as n)
        ("m", "\u039C"), // Greek Mu (μ reads as u)
        ("n", "\u039D"), // Greek Nu (ν reads as v)
        ("y", "\u03A5"), // Greek Upsilon (υ reads as u)
        ("z", "\u0396")); // Greek Zeta

    /// <summary>Tried on the lower-cased character.</summary>
    private static readonly FrozenDictionary<int, string> Lowered = Table(
        ("a", "àáâãäåāăąǎǟǡǻȁȃȧạảấầẩẫậắằẳẵặɑаαά"),
        ("b", "вьβ"),
        ("c", "çćĉċčƈȼсϲ"),
        ("d", "ďđɗԁ"),
        ("e", "èéêëēĕėęěȅȇȩẹẻẽếềểễệеёεέ"),
        ("g", "ĝğġģǧǵɠɡ"),
        ("h", "ĥħȟнһ"),
        ("j", "ĵǰȷјϳ"),
        ("k", "ķǩƙкκ"),
        // i, l, I and 1 are one letter: capital I and l are the same stroke in most fonts, and i must stay I's lower case.
        ("l", "iìíîïĩīĭįıǐȉȋịỉɩɪіїιίϊΐĺļľŀłƚʟǀӏ1"),
        ("m", "м"),
        ("n", "ñńņňŉǹηή"),
        ("o", "òóôõöøōŏőǒǫǭǿȍȏȫȭȯȱọỏốồổỗộớờởỡợơоοό0"),
        ("p", "рρ"),
        ("q", "ԛ"),
        ("r", "ŕŗřȑȓʀ"),
        ("s", "śŝşšșſѕ"),
        ("t", "ţťŧțтτ"),
        ("u", "ùúûüũūŭůűųǔǖǘǚǜȕȗụủứừửữựưμυύϋΰ"),
        ("v", "ν"),
        ("w", "ŵԝω"),
        ("x", "хχ"),
        ("y", "ýÿŷȳỳỵỷỹуүγ"),
        ("z", "źżžƶ"),
        ("ss", "ß"),
        ("ae", "æ"),
        ("oe", "œ"));

    public static string Of(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var written in name.EnumerateRunes())
        {
            var rune = written;
            if (rune.Value is >= 0xFF01 and <= 0xFF5E)
            {
                rune = new Rune(rune.Value - 0xFEE0); // fullwidth ASCII
            }

            if (rune.Value is >= 0x0300 and <= 0x036F)
            {
                continue; // combining diacritics: "é" written as e + U+0301 reads as e
            }

            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
            {
                rune = new Rune('0' + (int)Rune.GetNumericValue(rune));
            }

            if (AsWritten.TryGetValue(rune.Value, out var seen))
            {
                folded.Append(seen);
                continue;
            }

            var lower = Rune.ToLowerInvariant(rune);
            if (Lowered.TryGetValue(lower.Value, out seen))
            {
                folded.Append(seen);
            }
            else
            {
                folded.Append(lower.ToString());
            }
        }

        return folded.Replace("rn", "m").Replace("vv", "w").ToString();
    }

    private static FrozenDictionary<int, string> Table(params (string Seen, string Characters)[] groups)
    {
        var table = new Dictionary<int, string>();
        foreach (var (seen, characters) in groups)
        {
            foreach (var rune in characters.EnumerateRunes())
            {
                table.Add(rune.Value, seen);
            }
        }

        return table.ToFrozenDictionary();
    }
}
