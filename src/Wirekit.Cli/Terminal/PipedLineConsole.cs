namespace Wirekit.Cli.Terminal;

/// <summary>Redirected stdin/stdout: lines in, lines out, nothing to redraw.</summary>
internal sealed class PipedLineConsole(TextReader input, TextWriter output) : ILineConsole
{
    private readonly Lock _lock = new();

    public bool CanAsk => false;

    /// <remarks>
    /// Console.In's ReadLineAsync reads synchronously, on the caller's thread, and ignores its token: so the read runs
    /// on the pool, and Ctrl+C or a closing server stop waiting for it here (the read itself is abandoned, at exit).
    /// </remarks>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        => await Task.Run(() => input.ReadLineAsync(cancellationToken).AsTask(), cancellationToken).WaitAsync(cancellationToken);

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
