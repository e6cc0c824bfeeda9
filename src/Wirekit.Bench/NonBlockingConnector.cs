using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wirekit.Bench;

/// <summary>
/// Opens the load generator's connections with non-blocking connect() and Select, in batches, leaving them
/// non-blocking. Not ConnectAsync: any async operation registers the socket with .NET's own epoll thread, which
/// then wakes on every arrival of data the load workers are going to read themselves. Measured against the C
/// server (1 client, throughput profile) that hidden thread took a second core of system time and cut the
/// client's rate by a third.
/// </summary>
internal static class NonBlockingConnector
{
    private static readonly long MaxWaitTicks = Stopwatch.Frequency / 10;

    /// <summary>
    /// Connects <paramref name="count"/> sockets, <paramref name="batchSize"/> at a time so a server that is slow to
    /// accept costs one timeout per batch, not one per client. Failed slots are null (and logged).
    /// </summary>
    public static Socket?[] Connect(
        IPEndPoint target, int count, int batchSize, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var sockets = new Socket?[count];
        try
        {
            for (var first = 0; first < count && !cancellationToken.IsCancellationRequested; first += batchSize)
            {
                ConnectBatch(target, sockets, first, Math.Min(count, first + batchSize), timeout, logger, cancellationToken);
            }

            return sockets;
        }
        catch
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }

            throw;
        }
    }

    private static void ConnectBatch(
        IPEndPoint target, Socket?[] sockets, int from, int to, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<Socket, int>(ReferenceEqualityComparer.Instance);
        for (var i = from; i < to; i++)
        {
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
            try
            {
                socket.Connect(target);
                sockets[i] = socket; // loopback may complete at once
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                pending.Add(socket, i);
            }
            catch (SocketException e)
            {
                BenchLog.ConnectFailed(logger, target, e.SocketErrorCode);
                socket.Dispose();
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var writable = new List<Socket>(pending.Count);
        var failed = new List<Socket>(pending.Count);
        while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                break;
            }

            writable.Clear();
            writable.AddRange(pending.Keys);
            failed.Clear();
            failed.AddRange(pending.Keys);
            Socket.Select(null, writable, failed, (int)(Math.Min(remaining, MaxWaitTicks) * 1_000_000 / Stopwatch.Frequency) + 1);
            foreach (var socket in writable.Concat(failed))
            {
                if (!pending.Remove(socket, out var index))
                {
                    continue; // in both lists
                }

                // Writable means the handshake ended; SO_ERROR says how.
                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error == SocketError.Success)
                {
                    sockets[index] = socket;
                }
                else
                {
                    BenchLog.ConnectFailed(logger, target, error);
                    socket.Dispose();
                }
            }
        }

        foreach (var socket in pending.Keys)
        {
            BenchLog.ConnectTimedOut(logger, target, timeout);
            socket.Dispose();
        }
    }
}
