using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wirekit.Bench;

/// <summary>
/// Opens one client connection asynchronously with a time limit, optionally from a chosen local address. For idle
/// connections, where .NET's async engine costs nothing because no data flows; the load generator's busy
/// connections use <see cref="NonBlockingConnector"/> instead.
/// </summary>
internal static class BenchConnector
{
    /// <summary>Returns the connected socket, or null after logging why not (refused, timed out, out of ports).</summary>
    public static async Task<Socket?> TryConnectAsync(
        IPEndPoint target, IPAddress? source, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken,
        Action<Socket>? configure = null)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            configure?.Invoke(socket);
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(target, limit.Token).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e)
        {
            BenchLog.ConnectFailed(logger, target, e.SocketErrorCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            BenchLog.ConnectTimedOut(logger, target, timeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        socket.Dispose();
        return null;
    }
}
