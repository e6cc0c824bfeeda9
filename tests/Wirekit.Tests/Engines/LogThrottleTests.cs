using Wirekit.Logging;

namespace Wirekit.Tests.Engines;

public sealed class LogThrottleTests
{
    [Fact]
    public void Passes_the_burst_then_counts_the_rest()
    {
        var throttle = new LogThrottle(burst: 3, TimeSpan.FromHours(1));
        var passed = 0;
        for (var i = 0; i < 50_000; i++)
        {
            if (throttle.TryPass(out var suppressed))
            {
                Assert.Equal(0, suppressed);
                passed++;
            }
        }

        Assert.Equal(3, passed);
        Assert.Equal(49_997, throttle.Pending);
    }

    [Fact]
    public void The_first_event_of_a_new_window_reports_what_was_suppressed()
    {
        var throttle = new LogThrottle(burst: 1, TimeSpan.FromMilliseconds(1));
        Assert.True(throttle.TryPass(out _));
        var swallowed = 0;
        long reported = 0;
        // Windows are 1 ms long: keep offering events until one passes in the next window.
        while (!throttle.TryPass(out reported))
        {
            swallowed++;
        }

        Assert.Equal(swallowed, reported);
        Assert.Equal(0, throttle.Pending);
    }
}
