namespace Wirekit.Metrics;

/// <summary>
/// Where Wirekit's numbers are published: one <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/>, whose instruments are tagged <c>server</c> (echo, chat, file...), <c>engine</c> and
/// <c>port</c>. Read it with a <see cref="System.Diagnostics.Metrics.MeterListener"/>, an OpenTelemetry
/// MeterProvider, <c>dotnet-counters monitor --counters Wirekit</c>, or the CLI's <c>--metrics</c> endpoint.
/// Instruments nobody listens to cost one field read per event. docs/metrics.md lists them.
/// </summary>
public static class WirekitMetrics
{
    /// <summary>The meter's name: <c>Wirekit</c>.</summary>
    public const string MeterName = "Wirekit";
}
