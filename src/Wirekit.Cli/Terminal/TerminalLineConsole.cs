using System.Text;

namespace Wirekit.Cli.Terminal;

/// <summary>
/// The line editor on a terminal. The line being typed lives here, not in the terminal's line discipline, so a line
/// arriving mid-typing is printed above it and the prompt and the typed text are drawn again below: the receive loop
/// never glues text onto the user's line or tears it in half. Every change redraws the edit rows from their first
/// row (cursor up, erase to the end of the screen), whose count <see cref="EditLayout"/> knows because it cuts the
/// rows itself. One lock orders the keys and the printing.
/// </summary>
internal sealed class TerminalLineConsole(IKeySource keys, TextWriter output, Func<int> width) : ILineConsole
{
    public const string Prompt = "> ";

    private readonly Lock _lock = new();
    private readonly EditLine _line = new();
    private readonly StringBuilder _frame = new();

    /// <summary>The prompt is on screen: a read has started and <see cref="Finish"/> has not been called.</summary>
    private bool _drawn;

    /// <summary>The row of the edit rows the cursor is on (0 = the prompt's row).</summary>
    private int _cursorRow;

    private bool _finished;

    public bool CanAsk => true;

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_drawn && !_finished)
            {
                Draw();
                Flush();
            }
        }

        while (true)
        {
            var key = await keys.ReadKeyAsync(cancellationToken);
            lock (_lock)
            {
                switch (_line.Apply(key, out var submitted))
                {
                    case EditResult.Submitted:
                        // The sent line stays on screen as typed, and a fresh prompt starts below it.
                        Erase();
                        _frame.Append(string.Join("\r\n", EditLayout.Of(Prompt, submitted!, submitted!.Length, width()).Rows)).Append("\r\n");
                        Draw();
                        Flush();
                        return submitted;
                    case EditResult.EndOfInput:
                        return null;
                    case EditResult.Changed:
                        Erase();
                        Draw();
                        Flush();
                        break;
                }
            }
        }
    }

    public void Print(string line)
    {
        lock (_lock)
        {
            var drawn = _drawn;
            Erase();
            foreach (var row in TerminalRows.Of(line, width()))
            {
                _frame.Append(row).Append("\r\n");
            }

            if (drawn)
            {
                Draw();
            }

            Flush();
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            if (_drawn && _line.Text.Length > 0)
            {
                // Keep what was typed and not sent in sight; the shell starts below it.
                var layout = EditLayout.Of(Prompt, _line.Text, _line.Cursor, width());
                Erase();
                _frame.Append(string.Join("\r\n", layout.Rows)).Append("\r\n");
            }
            else
            {
                Erase(); // an empty prompt goes: the shell's prompt takes its place at the start of the row
            }

            Flush();
        }
    }

    /// <summary>
    /// The window changed size (SIGWINCH): draw the edit rows again, cut for the new width. The cursor is still on
    /// the row it was on, so the old rows are erased from there as always; a terminal that reflows old rows on a
    /// shrink may keep a stale copy above, as readline's redraw does.
    /// </summary>
    public void Resized()
    {
        lock (_lock)
        {
            if (!_drawn)
            {
                return;
            }

            Erase();
            Draw();
            Flush();
        }
    }

    /// <summary>Moves to the first edit row and erases from there to the end of the screen.</summary>
    private void Erase()
    {
        if (!_drawn)
        {
            return;
        }

        if (_cursorRow > 0)
        {
            _frame.Append("\u001b[").Append(_cursorRow).Append('A');
        }

        _frame.Append("\r\u001b[J");
        _drawn = false;
    }

    /// <summary>Draws the prompt and the line from the cursor's position (the start of a row), then places the cursor.</summary>
    private void Draw()
    {
        if (_finished)
        {
            return;
        }

        var layout = EditLayout.Of(Prompt, _line.Text, _line.Cursor, width());
        _frame.Append(string.Join("\r\n", layout.Rows));
        var up = layout.Rows.Count - 1 - layout.CursorRow;
        if (up > 0)
        {
            _frame.Append("\u001b[").Append(up).Append('A');
        }

        _frame.Append('\r');
        if (layout.CursorColumn > 0)
        {
            _frame.Append("\u001b[").Append(layout.CursorColumn).Append('C');
        }

        _cursorRow = layout.CursorRow;
        _drawn = true;
    }

    private void Flush()
    {
        output.Write(_frame.ToString());
        output.Flush();
        _frame.Clear();
    }
}
