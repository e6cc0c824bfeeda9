namespace Wirekit.Cli.Terminal;

/// <summary>Keys as a person presses them; a test supplies its own.</summary>
internal interface IKeySource
{
    ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The process's terminal. .NET turns echo and line buffering off only while a <see cref="Console.ReadKey(bool)"/> is
/// blocked, and back on after it; a key typed while none is waiting is echoed by the terminal itself and held until
/// Enter, which tears the line the editor draws. So one thread stays blocked in ReadKey for the whole session and
/// hands each key over; a caller's cancellation only stops its wait (the thread dies with the process).
/// </summary>
internal sealed class ConsoleKeySource : IKeySource
{
    private readonly System.Threading.Channels.Channel<ConsoleKeyInfo> _keys = System.Threading.Channels.Channel.CreateUnbounded<ConsoleKeyInfo>();
    private readonly Thread _reader;

    /// <summary>Starts reading at once: a key typed before the first prompt would otherwise be echoed by the terminal.</summary>
    public ConsoleKeySource()
    {
        _reader = new Thread(ReadKeys) { IsBackground = true, Name = "terminal keys" };
        _reader.Start();
    }

    public ValueTask<ConsoleKeyInfo> ReadKeyAsync(CancellationToken cancellationToken) => _keys.Reader.ReadAsync(cancellationToken);

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

    private void ReadKeys()
    {
        try
        {
            while (true)
            {
                _keys.Writer.TryWrite(Console.ReadKey(intercept: true));
            }
        }
        catch (InvalidOperationException e)
        {
            _keys.Writer.TryComplete(e); // stdin stopped being a terminal
        }
    }
}
