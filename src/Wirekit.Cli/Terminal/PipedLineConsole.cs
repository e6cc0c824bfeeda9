namespace Wirekit.Cli.Terminal;

/// <summary>Redirected stdin/stdout: lines in, lines out, nothing to redraw.</summary>
internal sealed class PipedLineConsole(TextReader input, TextWriter output) : ILineConsole
{
    private readonly Lock _lock = new();

    public bool CanAsk => false;

    // A console stream's read ignores its token, so Ctrl+C stops waiting for it here (the read itself is abandoned).
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        => await input.ReadLineAsync(cancellationToken).AsTask().WaitAsync(cancellationToken);

    public void Print(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public void Finish()
    {
    }
}
