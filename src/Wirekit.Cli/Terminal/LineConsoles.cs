using System.Runtime.InteropServices;

namespace Wirekit.Cli.Terminal;

/// <summary>The console an interactive command uses: the line editor on a terminal, plain lines from a pipe or file.</summary>
internal static class LineConsoles
{
    public static ILineConsole Open()
    {
        if (Console.IsInputRedirected)
        {
            return new PipedLineConsole(Console.In, Console.Out);
        }

        var console = new TerminalLineConsole(new ConsoleKeySource(), Console.Out, ConsoleKeySource.Width);
        if (!OperatingSystem.IsWindows())
        {
            // Lives as long as the process, as the console does. Windows has no SIGWINCH; its console reflows itself.
            s_resize?.Dispose(); // one console redraws: the one opened last
            s_resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => console.Resized());
        }

        return console;
    }

    private static PosixSignalRegistration? s_resize;
}
