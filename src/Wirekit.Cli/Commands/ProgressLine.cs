using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>
/// Rewrites one terminal line with bytes, percentage and rate while a transfer runs. Reports synchronously
/// (unlike Progress&lt;T&gt;, which posts to the thread pool) so the line never lands after the final message.
/// </summary>
internal sealed class ProgressLine(TextWriter terminal, string? label = null, int width = 0) : IProgress<TransferProgress>
{
    /// <summary>Erase the whole line (ECMA-48 EL 2); the cursor stays where \r put it.</summary>
    private const string EraseLine = "\u001b[2K";

    private bool _drawn;

    public void Report(TransferProgress value)
    {
        var text = label is null ? value.ToString() : $"{label}  {value}";
        // A line wider than the terminal wraps, and \r then rewrites only its last row: cut it to fit instead.
        if (width > 1 && text.Length >= width)
        {
            text = text[..(width - 1)];
        }

        terminal.Write(label is null ? $"\r{text,-60}" : $"\r{EraseLine}{text}");
        terminal.Flush();
        _drawn = true;
    }

    /// <summary>Ends the progress line so the next message starts on a line of its own; the last figures stay on screen.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            terminal.WriteLine();
            _drawn = false;
        }
    }

    /// <summary>Removes the progress line, so the result line printed next takes its place (the same every time, drawn or not).</summary>
    public void Clear()
    {
        if (_drawn)
        {
            terminal.Write($"\r{EraseLine}");
            terminal.Flush();
            _drawn = false;
        }
    }
}
