using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Wirekit.Cli.Terminal;

namespace Wirekit.Tests.Cli;

/// <summary>
/// A terminal for tests of the line editor: keys the test presses in, and a screen that obeys what the editor writes
/// (text with wrapping at <see cref="Width"/>, wide characters in two cells, CR, LF, cursor up and forward, erase to the
/// end of the screen or line), so a test asserts on what a person would see, not on escape sequences.
/// </summary>
internal sealed class FakeTerminal(int width) : TextWriter, IKeySource
{
    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateUnbounded<ConsoleKeyInfo>();
    private readonly List<List<string>> _rows = [[]];
    private readonly Lock _lock = new();
    private readonly StringBuilder _escape = new();
    private readonly StringBuilder _written = new();

    /// <summary>Columns; a test sets it to play a resized window (rows already written stay as they are, as in xterm).</summary>
    public int Width { get; set; } = width;

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The cursor: row (0 = the first row ever written) and column.</summary>
    public (int Row, int Column) Cursor { get; private set; }

    /// <summary>Everything written, escapes included.</summary>
    public string Written
    {
        get
        {
            lock (_lock)
            {
                return _written.ToString();
            }
        }
    }

    /// <summary>The screen, row by row, trailing blanks and empty rows at the end left out.</summary>
    public IReadOnlyList<string> Screen
    {
        get
        {
            lock (_lock)
            {
                var rows = _rows.Select(row => string.Concat(row).TrimEnd()).ToList();
                while (rows.Count > 0 && rows[^1].Length == 0)
                {
                    rows.RemoveAt(rows.Count - 1);
                }

                return rows;
            }
        }
    }

    public ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken) => _keys.Reader.ReadAsync(cancellationToken);

    /// <summary>Types text key by key, as a console delivers it (an emoji as its two surrogates; \r is Enter).</summary>
    public void Type(string text)
    {
        foreach (var c in text)
        {
            _keys.Writer.TryWrite(c == '\r' ? new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false) : new ConsoleKeyInfo(c, 0, false, false, false));
        }
    }

    public void Press(ConsoleKey key, bool control = false)
    {
        var c = key switch
        {
            ConsoleKey.Enter => '\r',
            ConsoleKey.Backspace => '\b',
            >= ConsoleKey.A and <= ConsoleKey.Z when control => (char)(key - ConsoleKey.A + 1),
            _ => '\0',
        };
        _keys.Writer.TryWrite(new ConsoleKeyInfo(c, key, false, false, control));
    }

    /// <summary>A fresh fake terminal that has been shown <paramref name="output"/> (a real program's bytes, say).</summary>
    public static FakeTerminal Showing(string output, int width)
    {
        var terminal = new FakeTerminal(width);
        terminal.Write(output);
        return terminal;
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _written.Append(value);
            var text = value ?? string.Empty;
            for (var i = 0; i < text.Length;)
            {
                var length = StringInfo.GetNextTextElementLength(text, i);
                Put(text.Substring(i, length));
                i += length;
            }
        }
    }

    private void Put(string element)
    {
        if (_escape.Length > 0 || element == "\u001b")
        {
            _escape.Append(element);
            if (_escape.Length == 2 && element != "[")
            {
                _escape.Clear(); // ESC = and the like (keypad modes a console sets up): nothing drawn
            }
            else if (_escape.Length > 2 && char.IsLetter(element[^1]))
            {
                Obey(_escape.ToString());
                _escape.Clear();
            }

            return;
        }

        switch (element)
        {
            case "\r\n":
                Cursor = (Cursor.Row, 0);
                LineFeed();
                return;
            case "\r":
                Cursor = (Cursor.Row, 0);
                return;
            case "\n":
                LineFeed();
                return;
        }

        var cells = TextColumns.OfGrapheme(element);
        if (Cursor.Column + cells > Width)
        {
            // The terminal wraps on its own: exactly what the editor must never leave it to do unknowingly.
            Cursor = (Cursor.Row, 0);
            LineFeed();
        }

        var row = _rows[Cursor.Row];
        while (row.Count < Cursor.Column + cells)
        {
            row.Add(" ");
        }

        row[Cursor.Column] = element;
        for (var extra = 1; extra < cells; extra++)
        {
            row[Cursor.Column + extra] = string.Empty; // the second cell of a wide character
        }

        Cursor = (Cursor.Row, Cursor.Column + cells);
    }

    private void LineFeed()
    {
        Cursor = (Cursor.Row + 1, Cursor.Column);
        while (_rows.Count <= Cursor.Row)
        {
            _rows.Add([]);
        }
    }

    private void Obey(string sequence)
    {
        var command = sequence[^1];
        var digits = sequence[2..^1];
        if (digits.StartsWith('?'))
        {
            return; // private modes (cursor visibility, keypad): nothing drawn
        }

        var n = digits.Length == 0 ? 1 : int.Parse(digits, CultureInfo.InvariantCulture);
        switch (command)
        {
            case 'A':
                Cursor = (Math.Max(0, Cursor.Row - n), Cursor.Column);
                break;
            case 'C':
                Cursor = (Cursor.Row, Math.Min(Width - 1, Cursor.Column + n));
                break;
            case 'J':
                _rows.RemoveRange(Cursor.Row + 1, _rows.Count - Cursor.Row - 1);
                goto case 'K';
            case 'K':
                var row = _rows[Cursor.Row];
                if (row.Count > Cursor.Column)
                {
                    row.RemoveRange(Cursor.Column, row.Count - Cursor.Column);
                }

                break;
            default:
                throw new InvalidOperationException($"the fake terminal does not know ESC{sequence[1..]}");
        }
    }
}
