using Wirekit.Tests.Infrastructure;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// A TCP server on 127.0.0.1 port 0 that does to every connection what the test scripts (answer half a file and
/// close, greet like a chat server, say nothing): the failures a real file server would never produce on purpose.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly Func<Socket, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accept;

    public ScriptedServer(Func<Socket, Task> script)
    {
        _script = script;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accept.WaitAsync(Deadline.Default);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(Deadline.Default);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket peer;
            try
            {
                peer = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(RunAsync(peer));
            }
        }
    }

    private async Task RunAsync(Socket peer)
    {
        using (peer)
        {
            try
            {
                await _script(peer).WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away, or the test ended.
            }
        }
    }
}
