using System.Diagnostics;
using Wirekit.Diagnostics;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

internal enum FileProgressDisplay
{
    /// <summary>One line rewritten in place with bytes, percentage and rate, removed when the download ends (a terminal).</summary>
    Interactive,

    /// <summary>One line a second (redirected output, logs, tests).</summary>
    Plain,

    /// <summary>Nothing until the end (--json, whose output must stay parseable, and --quiet).</summary>
    None,
}

/// <summary>
/// Shows a download's progress. On a terminal the line is always erased at the end, however fast the download was,
/// so the result line takes its place every time: a finished bar never stays on screen in some runs and not others.
/// </summary>
internal static class FileProgressView
{
    private static readonly TimeSpan TerminalRefresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(1);

    public static async Task<FileDownloadResult> RunAsync(TextWriter output, FileProgressDisplay display, string name,
        Func<IProgress<long>, Action<long>, Task<FileDownloadResult>> download)
    {
        var received = new Counter();
        if (display == FileProgressDisplay.None)
        {
            return await download(received, _ => { });
        }

        long expected = -1;
        var line = display == FileProgressDisplay.Interactive ? new ProgressLine(output, name, TerminalWidth()) : null;
        var clock = Stopwatch.StartNew();
        using var ticker = new PeriodicTimer(line is null ? PlainInterval : TerminalRefresh);
        var run = download(received, total => Interlocked.Exchange(ref expected, total));
        try
        {
            while (await Task.WhenAny(run, ticker.WaitForNextTickAsync().AsTask()) != run)
            {
                var total = Interlocked.Read(ref expected);
                var now = new TransferProgress(received.Total, total >= 0 ? total : null, clock.Elapsed);
                if (line is null)
                {
                    await output.WriteLineAsync($"{name}: {now}");
                }
                else
                {
                    line.Report(now);
                }
            }

            return await run;
        }
        finally
        {
            // Erased on success and on failure alike, so an `error:` line never lands after a half-drawn bar.
            line?.Clear();
        }
    }

    private static int TerminalWidth()
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

    /// <summary>Sums byte counts reported from any thread.</summary>
    private sealed class Counter : IProgress<long>
    {
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        public void Report(long value) => Interlocked.Add(ref _total, value);
    }
}
