using System.Globalization;
using System.Text;

namespace Wirekit.Cli.Terminal;

/// <summary>
/// Where the prompt and the line being typed go on screen: rows we cut ourselves, each at most one column short of
/// the terminal's width, so the terminal never wraps on its own and we always know how many rows to move up to
/// redraw (a line longer than the terminal then never leaves stale copies). A wide character that does not fit is
/// moved to the next row whole, as terminals do. Pure.
/// </summary>
internal readonly record struct EditLayout(IReadOnlyList<string> Rows, int CursorRow, int CursorColumn)
{
    /// <param name="width">The terminal's columns; 0 or too narrow for a prompt: one row, never cut.</param>
    public static EditLayout Of(string prompt, string text, int cursor, int width)
    {
        var limit = width > prompt.Length + 2 ? width - 1 : int.MaxValue;
        var rows = new List<string>();
        var row = new StringBuilder(prompt);
        var column = TextColumns.Of(prompt);
        var (cursorRow, cursorColumn) = (0, column);
        for (var i = 0; i < text.Length;)
        {
            var length = StringInfo.GetNextTextElementLength(text, i);
            var grapheme = text.AsSpan(i, length);
            var columns = TextColumns.OfGrapheme(grapheme);
            if (column + columns > limit)
            {
                rows.Add(row.ToString());
                row.Clear();
                column = 0;
            }

            if (i == cursor)
            {
                (cursorRow, cursorColumn) = (rows.Count, column);
            }

            row.Append(grapheme);
            column += columns;
            i += length;
        }

        if (cursor >= text.Length)
        {
            (cursorRow, cursorColumn) = (rows.Count, column);
        }

        rows.Add(row.ToString());
        return new EditLayout(rows, cursorRow, cursorColumn);
    }
}
