using System.Threading.Tasks.Sources;

namespace Wirekit.Proxy;

/// <summary>
/// Task.Delay for a loop that waits once per chunk (--latency, --slice with a delay, --bandwidth): one timer and one
/// completion source for the owner's whole life, re-armed for every wait, where Task.Delay allocates a task and a
/// timer each time (about 200 bytes per chunk). The wait is the source itself, not an async method: a pooled
/// async state machine is rented on one thread and returned on the timer's, so the pool's per-thread caches kept
/// missing and --latency still allocated one now and then (43-88 B per chunk on average, measured). One waiter at
/// a time; cancellation (the connection ending) is registered once and ends a wait in progress with
/// OperationCanceledException. The waiter goes on on the timer's pool thread, as after Task.Delay: handing it to
/// the pool instead would allocate a work item per wait.
/// </summary>
internal sealed class ReusableDelay : IValueTaskSource, IDisposable
{
    private readonly Timer _timer;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenRegistration _registration;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };

    // 1 while a wait is armed: the timer and the cancellation race to end it, and only the first one does.
    private int _armed;

    public ReusableDelay(CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _timer = new Timer(static delay => ((ReusableDelay)delay!).End(cancelled: false), this, Timeout.Infinite, Timeout.Infinite);
        _registration = cancellationToken.UnsafeRegister(static delay => ((ReusableDelay)delay!).End(cancelled: true), this);
    }

    /// <summary>The token every wait ends on; an owner handed another token needs another delay.</summary>
    public CancellationToken CancellationToken => _cancellationToken;

    public ValueTask WaitAsync(TimeSpan delay)
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(_cancellationToken);
        }

        if (delay <= TimeSpan.Zero)
        {
            return default;
        }

        _core.Reset();
        var wait = new ValueTask(this, _core.Version);
        Volatile.Write(ref _armed, 1);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        if (_cancellationToken.IsCancellationRequested)
        {
            End(cancelled: true); // cancelled before the wait was armed: the registration found nothing to end
        }

        return wait;
    }

    public void Dispose()
    {
        _registration.Dispose();
        _timer.Dispose();
    }

    private void End(bool cancelled)
    {
        if (Interlocked.Exchange(ref _armed, 0) != 1)
        {
            return;
        }

        if (cancelled)
        {
            _core.SetException(new OperationCanceledException(_cancellationToken));
        }
        else
        {
            _core.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
