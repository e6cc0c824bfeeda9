using System.Text;

namespace Wirekit.Cli.Terminal;

/// <summary>
/// Cuts a received line into terminal rows ourselves, before the terminal would wrap it, and indents every row after
/// the first. A member's message padded to the terminal's width would otherwise put text of its choosing at the
/// start of a row (<c>-!- server shutting down</c>), where it reads as a line of its own; indented, it cannot.
/// Widths are over-estimated where unsure (every character counts at least one column, combining marks included,
/// and East Asian wide ones and emoji two, <see cref="TextColumns"/>), so our cut comes before the terminal's.
/// </summary>
internal static class TerminalRows
{
    public const string Indent = "  ";

    public static IEnumerable<string> Of(string line, int width)
    {
        // Rows stop one column short: some terminals wrap as soon as the last column is written.
        var limit = width - 1;
        if (limit <= Indent.Length + 1)
        {
            yield return line;
            yield break;
        }

        var row = new StringBuilder();
        var columns = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var wide = rune.Value == '\t' ? 8 - (columns % 8) : Columns(rune);
            if (columns + wide > limit)
            {
                yield return row.ToString();
                row.Clear().Append(Indent);
                columns = Indent.Length;
                wide = rune.Value == '\t' ? 8 - (columns % 8) : wide;
            }

            row.Append(rune.ToString());
            columns += wide;
        }

        yield return row.ToString();
    }

    // Combining marks and joiners count one column although most terminals draw them in none: counting them as
    // nothing would let a message padded with them reach the edge before our count did.
    private static int Columns(Rune rune) => TextColumns.IsWide(rune.Value) ? 2 : 1;
}
