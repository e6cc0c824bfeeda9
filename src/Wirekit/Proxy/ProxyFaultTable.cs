namespace Wirekit.Proxy;

/// <summary>
/// The faults in force right now, per direction, and the cut switch; shared by every connection. A change swaps a
/// record and completes <see cref="Changed"/>, so loops waiting for a stall to lift or a timed fault to move wake
/// up. Changes are rare (a person or a test typing a command), so a fresh completion source per change is fine.
/// </summary>
internal sealed class ProxyFaultTable
{
    private readonly Lock _lock = new();
    private ProxyFaults _up;
    private ProxyFaults _down;
    private bool _cut;
    private TaskCompletionSource _changed = NewSignal();

    public ProxyFaultTable(ProxyFaults up, ProxyFaults down)
    {
        _up = up;
        _down = down;
    }

    public ProxyFaults this[ProxyDirection direction] => direction == ProxyDirection.Up ? Volatile.Read(ref _up) : Volatile.Read(ref _down);

    /// <summary>True while `cut` holds every byte in both directions (nothing read, nothing forwarded).</summary>
    public bool Cut => Volatile.Read(ref _cut);

    /// <summary>Completes at the next change; read it before checking the state, then await it.</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    public void Update(ProxyDirection? direction, Func<ProxyFaults, ProxyFaults> change)
    {
        lock (_lock)
        {
            if (direction != ProxyDirection.Down)
            {
                Volatile.Write(ref _up, change(_up));
            }

            if (direction != ProxyDirection.Up)
            {
                Volatile.Write(ref _down, change(_down));
            }

            Signal();
        }
    }

    public void SetCut(bool cut)
    {
        lock (_lock)
        {
            Volatile.Write(ref _cut, cut);
            Signal();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
