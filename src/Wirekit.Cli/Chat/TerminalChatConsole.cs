using System.Text;

namespace Wirekit.Cli.Chat;

/// <summary>
/// A one-line editor for an interactive terminal. The line being typed lives here, not in the terminal's line
/// discipline, so a message arriving mid-typing is printed above it and the prompt and typed text are redrawn: the
/// receive loop never tears the user's line in half (the seed's client printed over it).
/// </summary>
internal sealed class TerminalChatConsole : IChatConsole
{
    private const string Prompt = "> ";

    // Console.ReadKey cannot be cancelled, so the key loop checks KeyAvailable and sleeps this long between checks.
    private static readonly TimeSpan KeyPollInterval = TimeSpan.FromMilliseconds(15);

    private readonly Lock _lock = new();
    private readonly StringBuilder _typed = new();

    public bool CanAsk => true;

    public TerminalChatConsole()
    {
        lock (_lock)
        {
            Console.Write(Prompt);
        }
    }

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (!Console.KeyAvailable)
            {
                await Task.Delay(KeyPollInterval, cancellationToken);
            }

            var key = Console.ReadKey(intercept: true);
            lock (_lock)
            {
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        var line = _typed.ToString();
                        _typed.Clear();
                        Console.Write("\n" + Prompt);
                        return line;
                    case ConsoleKey.Backspace when _typed.Length > 0:
                        _typed.Length--;
                        Console.Write("\b \b");
                        break;
                    case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && _typed.Length == 0:
                        Console.WriteLine();
                        return null;
                    default:
                        if (!char.IsControl(key.KeyChar))
                        {
                            _typed.Append(key.KeyChar);
                            Console.Write(key.KeyChar);
                        }

                        break;
                }
            }
        }
    }

    public void Print(string line)
    {
        lock (_lock)
        {
            // Carriage return and erase-line (ESC [2K), the message, then the prompt and what was typed so far.
            Console.Write("\r\u001b[2K");
            foreach (var row in TerminalRows.Of(line, WindowWidth()))
            {
                Console.WriteLine(row);
            }

            Console.Write(Prompt);
            Console.Write(_typed.ToString());
        }
    }

    private static int WindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0; // no size known: print as it comes
        }
    }
}
