using System.Globalization;
using System.Text;

namespace Wirekit.Cli.Terminal;

/// <summary>What a key did to the line being typed.</summary>
internal enum EditResult
{
    /// <summary>Nothing to redraw (an unknown key, Backspace at the start).</summary>
    None,

    Changed,

    /// <summary>Enter: the line is done.</summary>
    Submitted,

    /// <summary>Ctrl+D on an empty line: no more input.</summary>
    EndOfInput,
}

/// <summary>
/// The line being typed and its history, edited key by key as readline does: cursor keys, Home/End, Ctrl+A/E/B/F,
/// Backspace/Delete, Ctrl+U/K/W, Up/Down. The cursor moves and deletes by grapheme (an emoji, a ZWJ sequence or a
/// letter with its combining marks is one unit), so no edit ever leaves half a character to be sent as U+FFFD. Pure:
/// keys in, text out; drawing is <see cref="EditLayout"/>'s job.
/// </summary>
internal sealed class EditLine
{
    private const int HistoryLimit = 200;

    private readonly StringBuilder _text = new();
    private readonly List<string> _history = [];

    /// <summary>Which history entry is shown: <c>_history.Count</c> means the line being written.</summary>
    private int _browsing;

    /// <summary>The line being written, kept while Up/Down browse the history.</summary>
    private string _draft = string.Empty;

    /// <summary>The first half of a surrogate pair: a console delivers an emoji as two keys.</summary>
    private char _highSurrogate;

    public string Text => _text.ToString();

    /// <summary>A UTF-16 index into <see cref="Text"/>, always at a grapheme boundary.</summary>
    public int Cursor { get; private set; }

    public EditResult Apply(ConsoleKeyInfo key, out string? submitted)
    {
        submitted = null;
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        var c = key.KeyChar;

        // Control keys arrive as a ConsoleKey with the Control modifier, or only as the C0 character (Ctrl+A = 0x01).
        bool Ctrl(ConsoleKey letter) => (control && key.Key == letter) || c == (char)(letter - ConsoleKey.A + 1);

        if (key.Key == ConsoleKey.Enter || c is '\r' or '\n')
        {
            submitted = _text.ToString();
            Remember(submitted);
            _text.Clear();
            Cursor = 0;
            return EditResult.Submitted;
        }

        if (Ctrl(ConsoleKey.D))
        {
            return _text.Length == 0 ? EditResult.EndOfInput : Delete(Cursor, NextBoundary(Cursor));
        }

        return key.Key switch
        {
            ConsoleKey.Backspace => Delete(PreviousBoundary(Cursor), Cursor),
            ConsoleKey.Delete => Delete(Cursor, NextBoundary(Cursor)),
            ConsoleKey.LeftArrow => MoveTo(PreviousBoundary(Cursor)),
            ConsoleKey.RightArrow => MoveTo(NextBoundary(Cursor)),
            ConsoleKey.Home => MoveTo(0),
            ConsoleKey.End => MoveTo(_text.Length),
            ConsoleKey.UpArrow => Browse(-1),
            ConsoleKey.DownArrow => Browse(+1),
            _ when c is '\b' or '\x7f' => Delete(PreviousBoundary(Cursor), Cursor),
            _ when Ctrl(ConsoleKey.A) => MoveTo(0),
            _ when Ctrl(ConsoleKey.E) => MoveTo(_text.Length),
            _ when Ctrl(ConsoleKey.B) => MoveTo(PreviousBoundary(Cursor)),
            _ when Ctrl(ConsoleKey.F) => MoveTo(NextBoundary(Cursor)),
            _ when Ctrl(ConsoleKey.U) => Delete(0, Cursor),
            _ when Ctrl(ConsoleKey.K) => Delete(Cursor, _text.Length),
            _ when Ctrl(ConsoleKey.W) => Delete(PreviousWordStart(), Cursor),
            _ when Ctrl(ConsoleKey.P) => Browse(-1),
            _ when Ctrl(ConsoleKey.N) => Browse(+1),
            _ => Type(c),
        };
    }

    private EditResult Type(char c)
    {
        if (char.IsHighSurrogate(c))
        {
            _highSurrogate = c;
            return EditResult.None;
        }

        string typed;
        if (char.IsLowSurrogate(c))
        {
            if (_highSurrogate == default)
            {
                return EditResult.None; // half a pair: never let it into the line
            }

            typed = new string([_highSurrogate, c]);
        }
        else if (char.IsControl(c) || c == default)
        {
            return EditResult.None;
        }
        else
        {
            typed = c.ToString();
        }

        _highSurrogate = default;
        _text.Insert(Cursor, typed);
        Cursor += typed.Length;

        // A mark typed at the start of a line joins the next character: step past the grapheme it made.
        Cursor = NextBoundaryAtOrAfter(Cursor);
        return EditResult.Changed;
    }

    private EditResult Delete(int from, int to)
    {
        if (from >= to)
        {
            return EditResult.None;
        }

        _text.Remove(from, to - from);
        Cursor = from;
        return EditResult.Changed;
    }

    private EditResult MoveTo(int index)
    {
        if (index == Cursor)
        {
            return EditResult.None;
        }

        Cursor = index;
        return EditResult.Changed;
    }

    private EditResult Browse(int step)
    {
        var next = _browsing + step;
        if (next < 0 || next > _history.Count)
        {
            return EditResult.None;
        }

        if (_browsing == _history.Count)
        {
            _draft = _text.ToString();
        }

        _browsing = next;
        _text.Clear().Append(next == _history.Count ? _draft : _history[next]);
        Cursor = _text.Length;
        return EditResult.Changed;
    }

    private void Remember(string line)
    {
        if (line.Length > 0 && (_history.Count == 0 || _history[^1] != line))
        {
            if (_history.Count == HistoryLimit)
            {
                _history.RemoveAt(0);
            }

            _history.Add(line);
        }

        _browsing = _history.Count;
        _draft = string.Empty;
    }

    private int PreviousBoundary(int index)
    {
        var text = _text.ToString();
        var previous = 0;
        for (var i = 0; i < index; i += StringInfo.GetNextTextElementLength(text, i))
        {
            previous = i;
        }

        return previous;
    }

    private int NextBoundary(int index)
        => index >= _text.Length ? index : index + StringInfo.GetNextTextElementLength(_text.ToString(), index);

    private int NextBoundaryAtOrAfter(int index)
    {
        var text = _text.ToString();
        var i = 0;
        while (i < index)
        {
            i += StringInfo.GetNextTextElementLength(text, i);
        }

        return i;
    }

    /// <summary>Ctrl+W as in a shell: back over spaces, then over the word before them.</summary>
    private int PreviousWordStart()
    {
        var index = Cursor;
        while (index > 0 && char.IsWhiteSpace(_text[PreviousBoundary(index)]))
        {
            index = PreviousBoundary(index);
        }

        while (index > 0 && !char.IsWhiteSpace(_text[PreviousBoundary(index)]))
        {
            index = PreviousBoundary(index);
        }

        return index;
    }
}
