namespace Wirekit.Proxy;

/// <summary>The running totals behind <see cref="FaultProxy.Stats"/>, updated once per connection end (not per chunk).</summary>
internal sealed class ProxyTotals
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ProxyEnd, long> _ends = [];
    private long _accepted;
    private long _refused;
    private long _bytesUp;
    private long _bytesDown;
    private long _corrupted;

    public void Accepted()
    {
        lock (_lock)
        {
            _accepted++;
        }
    }

    public void Ended(ProxyConnectionReport report, bool refused)
    {
        lock (_lock)
        {
            _refused += refused ? 1 : 0;
            _bytesUp += report.BytesUp;
            _bytesDown += report.BytesDown;
            _corrupted += report.Corrupted;
            _ends[report.End] = _ends.GetValueOrDefault(report.End) + 1;
        }
    }

    public ProxyStats Snapshot(int active)
    {
        lock (_lock)
        {
            return new ProxyStats(_accepted, _refused, active, _bytesUp, _bytesDown, _corrupted, new Dictionary<ProxyEnd, long>(_ends));
        }
    }
}
