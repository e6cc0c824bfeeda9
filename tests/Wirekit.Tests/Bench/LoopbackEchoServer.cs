using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Bench;

/// <summary>
/// A tiny echo server for the load generator's tests, on 127.0.0.1 port 0, counting what it echoed and who
/// connected. With <c>closeOnAccept</c> it hangs up on every client at once, to exercise the error path.
/// </summary>
internal sealed class LoopbackEchoServer : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly bool _closeOnAccept;
    private readonly Task _acceptLoop;
    private long _echoedBytes;

    public LoopbackEchoServer(bool closeOnAccept = false)
    {
        _closeOnAccept = closeOnAccept;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1024);
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public long EchoedBytes => Interlocked.Read(ref _echoedBytes);

    public ConcurrentBag<IPAddress> RemoteAddresses { get; } = [];

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await Task.WhenAll(_sessions.Append(_acceptLoop)).WaitAsync(StopLimit).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
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
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            RemoteAddresses.Add(((IPEndPoint)client.RemoteEndPoint!).Address);
            if (_closeOnAccept)
            {
                client.Dispose();
                continue;
            }

            _sessions.Add(EchoAsync(client, cancellationToken));
        }
    }

    private async Task EchoAsync(Socket client, CancellationToken cancellationToken)
    {
        using var _ = client;
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    return;
                }

                // Counted before the send: the client may see the echo before SendAsync's continuation runs.
                Interlocked.Add(ref _echoedBytes, n);
                await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // The client went away or the test is over.
        }
    }
}
