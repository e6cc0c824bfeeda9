namespace Wirekit.Tests.Transfer;

/// <summary>
/// An IProgress that runs an action once, synchronously, when the reported byte total first passes a threshold.
/// Reports come from the client's receive loop, which waits meanwhile: a test can stop the server or change the file
/// mid-transfer, and the download cannot finish first however fast loopback is.
/// </summary>
internal sealed class ProgressTrigger(long threshold, Action action) : IProgress<long>
{
    private long _total;
    private int _fired;

    public bool Fired => Volatile.Read(ref _fired) == 1;

    public void Report(long value)
    {
        if (Interlocked.Add(ref _total, value) >= threshold && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            action();
        }
    }
}
