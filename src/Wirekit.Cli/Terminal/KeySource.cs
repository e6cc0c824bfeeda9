namespace Wirekit.Cli.Terminal;

/// <summary>Keys as a person presses them; a test supplies its own.</summary>
internal interface IKeySource
{
    ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken);
}

/// <summary>The process's terminal.</summary>
internal sealed class ConsoleKeySource : IKeySource
{
    // Console.ReadKey cannot be cancelled, so the wait polls KeyAvailable: Ctrl+C then ends it within this long.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(15);

    public async ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken)
    {
        while (!Console.KeyAvailable)
        {
            await Task.Delay(PollInterval, cancellationToken);
        }

        return Console.ReadKey(intercept: true);
    }

    /// <summary>The terminal's width, or 0 when it has none (then rows are not cut).</summary>
    public static int Width()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
