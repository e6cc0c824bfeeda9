using System.Runtime.CompilerServices;
using Wirekit.Engines.Sessions;

namespace Wirekit.Proxy;

/// <summary>
/// Task.Delay for a loop that waits once per chunk (--latency, --slice with a delay, --bandwidth): one timer and one
/// signal for the owner's whole life, re-armed for every wait, where Task.Delay allocates a task and a timer each
/// time (about 200 bytes per chunk). One waiter at a time; cancellation (the connection ending) is registered once
/// and wakes a wait in progress. The waiter goes on on the timer's pool thread, as after Task.Delay: handing it to
/// the pool instead would allocate a work item per wait.
/// </summary>
internal sealed class ReusableDelay : IDisposable
{
    private readonly AsyncSignal _elapsed = new(runContinuationsAsynchronously: false);
    private readonly Timer _timer;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenRegistration _registration;

    public ReusableDelay(CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _timer = new Timer(static signal => ((AsyncSignal)signal!).Set(), _elapsed, Timeout.Infinite, Timeout.Infinite);
        _registration = cancellationToken.UnsafeRegister(static signal => ((AsyncSignal)signal!).Set(), _elapsed);
    }

    /// <summary>The token every wait ends on; an owner handed another token needs another delay.</summary>
    public CancellationToken CancellationToken => _cancellationToken;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WaitAsync(TimeSpan delay)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        await _elapsed.WaitAsync();
        _cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        _registration.Dispose();
        _timer.Dispose();
    }
}
