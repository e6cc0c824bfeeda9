namespace Wirekit.Cli.Terminal;

/// <summary>The console an interactive command uses: the line editor on a terminal, plain lines from a pipe or file.</summary>
internal static class LineConsoles
{
    public static ILineConsole Open() => Console.IsInputRedirected
        ? new PipedLineConsole(Console.In, Console.Out)
        : new TerminalLineConsole(new ConsoleKeySource(), Console.Out, ConsoleKeySource.Width);
}
