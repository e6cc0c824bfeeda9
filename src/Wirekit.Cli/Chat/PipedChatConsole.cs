namespace Wirekit.Cli.Chat;

/// <summary>Redirected stdin/stdout: lines in, lines out, nothing to redraw.</summary>
internal sealed class PipedChatConsole(TextReader input, TextWriter output) : IChatConsole
{
    private readonly Lock _lock = new();

    public bool CanAsk => false;

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken) => await input.ReadLineAsync(cancellationToken);

    public void Print(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
