using System.Collections.Concurrent;
using System.Net;
using Wirekit.Proxy;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Proxy;

/// <summary>A <see cref="FaultProxy"/> on 127.0.0.1 port 0 in front of <paramref name="target"/>, keeping every connection's report.</summary>
internal sealed class ProxyScope : IAsyncDisposable
{
    private readonly ConcurrentQueue<ProxyConnectionReport> _reports = new();

    private ProxyScope(FaultProxy proxy)
    {
        Proxy = proxy;
        proxy.ConnectionEnded += _reports.Enqueue;
    }

    public FaultProxy Proxy { get; }

    public IPEndPoint EndPoint => Proxy.LocalEndPoint;

    public IReadOnlyCollection<ProxyConnectionReport> Reports => _reports;

    public static ProxyScope Start(IPEndPoint target, ProxyFaults? up = null, ProxyFaults? down = null)
        => new(FaultProxy.Start(new ProxyOptions { TargetHost = target.Address.ToString(), TargetPort = target.Port, Up = up ?? ProxyFaults.None, Down = down ?? ProxyFaults.None }));

    /// <summary>Both directions with the faults of one command-line value, e.g. ("slice", "1").</summary>
    public static ProxyFaults Faults(params (string Name, string? Value)[] faults)
    {
        var result = ProxyFaults.None;
        foreach (var (name, value) in faults)
        {
            Assert.True(FaultSyntax.TryApply(result, name, value, out result, out var error), error);
        }

        return result;
    }

    /// <summary>Runs a control command that must succeed.</summary>
    public void Execute(string command) => Assert.StartsWith("ok:", Proxy.Execute(command));

    /// <summary>The report of the only connection, once it has ended.</summary>
    public async Task<ProxyConnectionReport> SingleReportAsync()
    {
        await Deadline.UntilAsync(() => !_reports.IsEmpty, "the proxied connection to end");
        return Assert.Single(_reports);
    }

    /// <summary>The first report that matches, once that connection has ended (the file client opens more than one).</summary>
    public async Task<ProxyConnectionReport> ReportAsync(Func<ProxyConnectionReport, bool> match, string what)
    {
        await Deadline.UntilAsync(() => _reports.Any(match), what);
        return _reports.First(match);
    }

    public ValueTask DisposeAsync() => Proxy.DisposeAsync();
}
