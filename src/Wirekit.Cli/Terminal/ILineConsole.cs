namespace Wirekit.Cli.Terminal;

/// <summary>
/// Where an interactive client (`chat join`, `echo connect`, `udp chat`) reads what to send and prints what arrives:
/// the terminal line editor, or plain pipes. Printing and reading may happen at once, from different tasks.
/// </summary>
internal interface ILineConsole
{
    /// <summary>True when a person reads the output and can answer a question (a refused name, say).</summary>
    bool CanAsk { get; }

    /// <summary>The next line typed, or null at end of input.</summary>
    Task<string?> ReadLineAsync(CancellationToken cancellationToken);

    /// <summary>Prints a line without disturbing the line being typed.</summary>
    void Print(string line);

    /// <summary>
    /// Ends the prompt line, so what follows (an error on stderr, the shell's prompt) starts on a line of its own.
    /// Safe to call more than once; lines printed afterwards appear without a prompt.
    /// </summary>
    void Finish();
}
