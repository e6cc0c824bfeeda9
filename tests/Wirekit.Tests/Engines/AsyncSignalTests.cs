using Wirekit.Engines.Sessions;

namespace Wirekit.Tests.Engines;

public sealed class AsyncSignalTests
{
    [Fact]
    public async Task A_set_before_the_wait_is_remembered_once()
    {
        var signal = new AsyncSignal();
        signal.Set();
        signal.Set();
        await signal.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var second = signal.WaitAsync().AsTask();
        Assert.False(second.IsCompleted);
        signal.Set();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task No_wake_up_is_lost_between_a_racing_setter_and_the_waiter()
    {
        var signal = new AsyncSignal();
        var produced = 0;
        var consumed = 0;
        var producer = Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                Interlocked.Increment(ref produced);
                signal.Set();
            }
        });

        while (Volatile.Read(ref consumed) < 100_000)
        {
            await signal.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            consumed = Volatile.Read(ref produced);
        }

        await producer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(100_000, consumed);
    }
}
