using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Engines;

namespace Wirekit.Transfer;

/// <summary>
/// TEMPORARY stand-in for the lead's ServerHost until it lands on this branch: a bare async accept loop with the
/// same Start signature, so switching is a one-line change (TemporaryHost.Start → ServerHost.Start). It honours
/// only the options the file tests and CLI need (bind, port, backlog, reuse, nodelay, buffer sizes); both engines
/// run the same async loop here.
/// </summary>
internal sealed class TemporaryHost : IServer
{
    private readonly Socket _listener;
    private readonly IConnectionHandler _handler;
    private readonly ServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _sessions = new();
    private readonly Task _acceptLoop;
    private long _nextId;
    private int _stopped;

    private TemporaryHost(EngineKind engine, ServerOptions options, IConnectionHandler handler)
    {
        Engine = engine;
        _options = options;
        _handler = handler;
        _listener = new Socket(options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (options.ReuseAddress)
        {
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        if (options.ReceiveBufferSize is { } receive)
        {
            _listener.ReceiveBufferSize = receive;
        }

        _listener.Bind(new IPEndPoint(options.BindAddress, options.Port));
        _listener.Listen(options.Backlog);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public EngineKind Engine { get; }

    public IPEndPoint LocalEndPoint { get; }

    public int ActiveSessions => _sessions.Count;

    public static IServer Start(EngineKind engine, ServerOptions options, IConnectionHandler handler, ILoggerFactory? loggers = null)
        => new TemporaryHost(engine, options, handler);

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Dispose();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await Task.WhenAll(_sessions.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = _options.NoDelay;
            if (_options.SendBufferSize is { } send)
            {
                socket.SendBufferSize = send;
            }

            var id = Interlocked.Increment(ref _nextId);
            _sessions[id] = RunSessionAsync(socket, id);
        }
    }

    private async Task RunSessionAsync(Socket socket, long id)
    {
        await Task.Yield();
        try
        {
            await _handler.HandleAsync(socket, id, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The handler logs its own ends; an escape here is a peer or shutdown error.
        }
        finally
        {
            socket.Dispose();
            _sessions.TryRemove(id, out _);
        }
    }
}
