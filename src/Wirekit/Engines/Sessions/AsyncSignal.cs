using System.Threading.Tasks.Sources;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// An allocation-free auto-reset event for one awaiting loop. A Set with nobody waiting is remembered, so a wake-up
/// that races ahead of the wait is never lost. Continuations run on the thread pool: the setter (a chat broadcast,
/// say) must not end up running the woken loop's sends on its own stack.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Signalled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;

    /// <param name="runContinuationsAsynchronously">False for a setter that may run the woken loop itself (a timer's
    /// pool thread): queueing the continuation to the pool allocates a work item per wake-up.</param>
    public AsyncSignal(bool runContinuationsAsynchronously = true)
        => _core = new() { RunContinuationsAsynchronously = runContinuationsAsynchronously };

    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signalled:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Signalled, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    _core.SetResult(true);
                    return;
            }
        }
    }

    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signalled) == Signalled)
        {
            return default;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
        {
            return new ValueTask(this, _core.Version);
        }

        // A Set landed between the two exchanges: consume it instead of waiting.
        Volatile.Write(ref _state, Idle);
        return default;
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
