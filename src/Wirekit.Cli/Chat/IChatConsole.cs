namespace Wirekit.Cli.Chat;

/// <summary>Where `chat join` reads what to send and prints what arrives: a terminal line editor, or plain pipes.</summary>
internal interface IChatConsole
{
    /// <summary>The next line to send, or null at end of input.</summary>
    Task<string?> ReadLineAsync(CancellationToken cancellationToken);

    /// <summary>True when a person reads the output and can answer a question (a refused name, say).</summary>
    bool CanAsk { get; }

    /// <summary>Prints a line from the server without disturbing the line being typed. Called from the receive loop.</summary>
    void Print(string line);
}
