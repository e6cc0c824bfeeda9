using System.Diagnostics;
using Spectre.Console;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

internal enum FileProgressDisplay
{
    /// <summary>A Spectre.Console bar with bytes, rate and ETA (a terminal).</summary>
    Interactive,

    /// <summary>One line a second (redirected output, logs, tests).</summary>
    Plain,

    /// <summary>Nothing until the end (--json, whose output must stay parseable).</summary>
    None,
}

/// <summary>Shows a download's progress: a live bar on a terminal, periodic plain lines otherwise.</summary>
internal static class FileProgressView
{
    public static async Task<FileDownloadResult> RunAsync(TextWriter output, FileProgressDisplay display, string name,
        Func<IProgress<long>, Action<long>, Task<FileDownloadResult>> download)
    {
        if (display == FileProgressDisplay.Interactive)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(name, autoStart: true, maxValue: 1);
                    task.IsIndeterminate = true;
                    var result = await download(new TaskProgress(task), total =>
                    {
                        task.MaxValue = Math.Max(total, 1);
                        task.IsIndeterminate = false;
                    });
                    task.Value = task.MaxValue;
                    return result;
                });
        }

        if (display == FileProgressDisplay.None)
        {
            return await download(new Counter(), _ => { });
        }

        var plain = new Counter();
        long expected = 0;
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var run = download(plain, total => Interlocked.Exchange(ref expected, total));
        while (await Task.WhenAny(run, ticker.WaitForNextTickAsync().AsTask()) != run)
        {
            var received = plain.Total;
            await output.WriteLineAsync($"{name}: {received / (1024.0 * 1024):0.0} / {Interlocked.Read(ref expected) / (1024.0 * 1024):0.0} MiB, {received / (1024.0 * 1024) / clock.Elapsed.TotalSeconds:0.0} MiB/s");
        }

        return await run;
    }

    /// <summary>Feeds byte counts into a Spectre task; ProgressTask.Increment locks, so any thread may report.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Increment(value);
    }

    /// <summary>Sums byte counts reported from any thread.</summary>
    private sealed class Counter : IProgress<long>
    {
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        public void Report(long value) => Interlocked.Add(ref _total, value);
    }
}
