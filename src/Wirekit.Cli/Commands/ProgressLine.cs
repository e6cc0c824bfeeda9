using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>
/// Rewrites one terminal line with bytes, percentage and rate while a transfer runs. Reports synchronously
/// (unlike Progress&lt;T&gt;, which posts to the thread pool) so the line never lands after the final message.
/// </summary>
internal sealed class ProgressLine(TextWriter terminal) : IProgress<TransferProgress>
{
    private bool _drawn;

    public void Report(TransferProgress value)
    {
        terminal.Write($"\r{value,-60}");
        _drawn = true;
    }

    /// <summary>Ends the progress line so the next message starts on a line of its own.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            terminal.WriteLine();
            _drawn = false;
        }
    }
}
