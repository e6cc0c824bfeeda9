using Wirekit.Tests.Infrastructure;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// A loopback TCP proxy that forwards both directions and can spoil the server-to-client stream the way a network
/// would not show: invert one byte at a given offset (corruption TCP's checksum would not see, because it happens
/// above it), or pace it to a rate per connection (a slow link, so a test can act while a transfer runs).
/// </summary>
internal sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly IPEndPoint _server;
    private readonly long _flipAt;
    private readonly long _bytesPerSecond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accept;

    /// <param name="server">Where to forward.</param>
    /// <param name="flipAt">Offset in each server-to-client stream of the byte to invert; -1 for none.</param>
    /// <param name="bytesPerSecond">Pace of each server-to-client stream; 0 for as fast as loopback goes.</param>
    public LoopbackProxy(IPEndPoint server, long flipAt = -1, long bytesPerSecond = 0)
    {
        _server = server;
        _flipAt = flipAt;
        _bytesPerSecond = bytesPerSecond;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accept.WaitAsync(Deadline.Default);
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps).WaitAsync(Deadline.Default);
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
                _pumps.Add(PumpAsync(client, upstream, flipAt: -1, bytesPerSecond: 0, closesBoth: false));
                _pumps.Add(PumpAsync(upstream, client, _flipAt, _bytesPerSecond, closesBoth: true));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, long flipAt, long bytesPerSecond, bool closesBoth)
    {
        var buffer = new byte[bytesPerSecond > 0 ? 16 * 1024 : 64 * 1024];
        long position = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
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
                var due = bytesPerSecond > 0 ? TimeSpan.FromSeconds((double)position / bytesPerSecond) - clock.Elapsed : TimeSpan.Zero;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _stop.Token); // pacing the link, not waiting for an event
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The other direction or the test ended the connection.
        }
        finally
        {
            if (closesBoth)
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }
}
