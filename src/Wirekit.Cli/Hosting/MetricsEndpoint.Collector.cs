using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Wirekit.Metrics;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// Listens to the Wirekit meter and keeps every instrument's series, ready to be read by a scrape. Attaching it is
/// what turns the library's instruments on (their Enabled checks); without one they cost nothing.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, MetricsSeries> _instruments = new();
    private readonly Lock _collecting = new();

    public MetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WirekitMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument, _instruments.GetOrAdd(instrument, static made => new MetricsSeries(made)));
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricsSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricsSeries)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Every instrument's series as of now, observable ones asked afresh; ordered by name.</summary>
    public IReadOnlyList<MetricsSeries> Collect()
    {
        lock (_collecting)
        {
            foreach (var series in _instruments.Values)
            {
                series.ClearObserved();
            }

            _listener.RecordObservableInstruments();
            return _instruments.Values.OrderBy(series => series.Instrument.Name, StringComparer.Ordinal).ToArray();
        }
    }

    public void Dispose() => _listener.Dispose();
}
