using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Logging;

namespace Wirekit.Proxy;

/// <summary>
/// A TCP forwarder that can misbehave on demand (in the spirit of toxiproxy): every accepted client is connected to
/// the target and its bytes are passed both ways, through the faults in force. Faults change at run time with
/// <see cref="Execute"/>, for open connections too. Each connection ends with one log line and one
/// <see cref="ProxyConnectionReport"/>.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly ProxyFaultTable _faults;
    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly LogThrottle _refusals = new(5, TimeSpan.FromSeconds(10));
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly ProxyTotals _totals = new();
    private readonly Task _accepting;
    private long _lastId;

    private FaultProxy(ProxyOptions options, Socket listener, ILoggerFactory? loggers)
    {
        _options = options;
        _faults = new ProxyFaultTable(options.Up, options.Down);
        _listener = listener;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Wirekit.Proxy");
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        ProxyLog.Listening(_logger, LocalEndPoint, $"{options.TargetHost}:{options.TargetPort}");
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>Where clients connect (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Called once per connection as it ends, after its log line (on a pool thread; keep it short).</summary>
    public event Action<ProxyConnectionReport>? ConnectionEnded;

    /// <summary>Binds and starts accepting; throws <see cref="SocketException"/> when the address is taken.</summary>
    public static FaultProxy Start(ProxyOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferBytes, 1);
        var listener = new Socket(options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(options.Listen);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new FaultProxy(options, listener, loggers);
    }

    /// <summary>Runs one control command (`add latency 200`, `remove up latency`, `list`, `cut`, `restore`, `help`) and returns its one-line reply.</summary>
    public string Execute(string command)
    {
        var reply = ProxyControl.Execute(_faults, command, ActiveConnections);
        ProxyLog.Control(_logger, command.Trim(), reply);
        return reply;
    }

    /// <summary>The faults in force for one direction now.</summary>
    public ProxyFaults FaultsOf(ProxyDirection direction) => _faults[direction];

    public ProxyStats Stats => _totals.Snapshot(ActiveConnections);

    /// <summary>Stops accepting and closes every connection; waits for them (5 s at most).</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || e is SocketException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that reset before accept (ECONNABORTED), or the descriptor limit: keep accepting the others.
                continue;
            }

            var id = ++_lastId;
            if (_connections.Count >= _options.MaxConnections)
            {
                Refuse(id, client);
                continue;
            }

            _totals.Accepted();
            // Registered before it starts, so its own removal at the end can never come first and leave it counted.
            var start = new Task<Task>(() => RunAsync(id, client, cancellationToken));
            _connections[id] = start.Unwrap();
            start.Start(TaskScheduler.Default);
        }
    }

    private void Refuse(long id, Socket client)
    {
        var remote = client.RemoteEndPoint as IPEndPoint;
        ProxyConnection.Abort(client);
        _totals.Ended(new ProxyConnectionReport(id, remote ?? new IPEndPoint(IPAddress.None, 0), 0, 0, 0, 0, [], ProxyEnd.Refused, TimeSpan.Zero), refused: true);
        if (_refusals.TryPass(out var suppressed))
        {
            ProxyLog.Refused(_logger, remote, _options.MaxConnections, suppressed);
        }
    }

    private async Task RunAsync(long id, Socket client, CancellationToken cancellationToken)
    {
        try
        {
            var report = await new ProxyConnection(id, client, _options, _faults).RunAsync(cancellationToken);
            // Out of the count before anyone hears of the end, so a listener never sees an ended connection as active.
            _connections.TryRemove(id, out _);
            _totals.Ended(report, refused: false);
            ProxyLog.Ended(_logger, report);
            ConnectionEnded?.Invoke(report);
        }
        catch (Exception e)
        {
            _connections.TryRemove(id, out _);
            _logger.LogError(e, "connection {Id} failed", id);
            client.Dispose();
        }
    }
}
