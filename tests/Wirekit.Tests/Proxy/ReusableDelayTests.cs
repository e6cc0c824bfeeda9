using Wirekit.Proxy;

namespace Wirekit.Tests.Proxy;

/// <summary>
/// <see cref="ReusableDelay"/> alone, since its wait is a value-task source of its own: a wait lasts its delay, is
/// re-armed each time, and the connection's end (the token) ends a wait in progress and refuses the next. What it
/// allocates is counted through the proxy (ProxyAllocationTests).
/// </summary>
public sealed class ReusableDelayTests
{
    [Fact]
    public async Task Cancelling_ends_a_wait_in_progress_and_refuses_the_next()
    {
        using var cancellation = new CancellationTokenSource();
        using var delay = new ReusableDelay(cancellation.Token);
        var wait = delay.WaitAsync(TimeSpan.FromHours(1)).AsTask();
        Assert.False(wait.IsCompleted);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Infrastructure.Deadline.Default));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay.WaitAsync(TimeSpan.FromMilliseconds(1)).AsTask());
    }

    [Fact]
    public async Task Each_wait_lasts_at_least_its_delay()
    {
        using var cancellation = new CancellationTokenSource();
        using var delay = new ReusableDelay(cancellation.Token);
        for (var i = 0; i < 3; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await delay.WaitAsync(TimeSpan.FromMilliseconds(30));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(29), $"wait {i}: {clock.Elapsed.TotalMilliseconds} ms");
        }
    }
}
