using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// A loopback TCP proxy that forwards both directions and inverts one byte of the server-to-client stream at a
/// given offset: corruption TCP's checksum would not see, because it happens above it.
/// </summary>
internal sealed class ByteFlipProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly IPEndPoint _server;
    private readonly long _flipAt;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accept;

    public ByteFlipProxy(IPEndPoint server, long flipAt)
    {
        _server = server;
        _flipAt = flipAt;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accept.WaitAsync(FileServerScope.Limit);
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps).WaitAsync(FileServerScope.Limit);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await upstream.ConnectAsync(_server, _stop.Token);
            lock (_pumps)
            {
                _pumps.Add(PumpAsync(client, upstream, flipAt: -1));
                _pumps.Add(PumpAsync(upstream, client, _flipAt));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, long flipAt)
    {
        var buffer = new byte[64 * 1024];
        long position = 0;
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stop.Token)) > 0)
            {
                if (flipAt >= position && flipAt < position + read)
                {
                    buffer[flipAt - position] ^= 0xFF;
                }

                position += read;
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The other direction or the test ended the connection.
        }
        finally
        {
            if (flipAt >= 0)
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }
}
