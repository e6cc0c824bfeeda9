using System.Diagnostics;

namespace Wirekit.Tests.Infrastructure;

/// <summary>Bounded waits for tests: generous (CI machines are loaded), but never infinite.</summary>
internal static class Deadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test when the deadline passes first.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        var max = limit ?? Default;
        while (!condition())
        {
            if (clock.Elapsed > max)
            {
                throw new TimeoutException($"waited {max.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(10);
        }
    }
}
