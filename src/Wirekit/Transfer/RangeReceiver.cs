using System.Buffers;
using System.IO.Hashing;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Wirekit.Transfer;

/// <summary>
/// The client's hot loops: raw file bytes from a connection into the disk writer's queue, or into a hash. Each runs
/// on a thread of its own with blocking receives: measured here, an async receive loop drains the socket faster
/// than loopback fills it and pays an epoll wake-up and a thread-pool hop per empty read, which held a 1 GB
/// transfer to about 1 GB/s where a blocking loop goes past nginx+curl. The socket's receive timeout bounds every
/// read, so a server that stalls mid-file fails the download instead of hanging it.
/// </summary>
internal static class RangeReceiver
{
    /// <summary>Fills pooled chunks and hands each to <paramref name="writer"/>; what arrived before a failure is still handed over, so --resume keeps it.</summary>
    public static Task ReceiveToWriterAsync(FileClientConnection connection, DiskWriter writer, int range, long offset, long length,
        IProgress<long>? progress, CancellationToken cancellationToken)
        => RunOnOwnThreadAsync(connection, () => ReceiveToWriter(connection, writer, range, offset, length, progress, cancellationToken), cancellationToken);

    /// <summary>Receives <paramref name="length"/> bytes into <paramref name="hasher"/> and nowhere else (--discard).</summary>
    public static Task ReceiveAndHashAsync(FileClientConnection connection, XxHash128 hasher, long length, IProgress<long>? progress, CancellationToken cancellationToken)
        => RunOnOwnThreadAsync(connection, () => ReceiveAndHash(connection, hasher, length, progress), cancellationToken);

    private static async Task RunOnOwnThreadAsync(FileClientConnection connection, Action loop, CancellationToken cancellationToken)
    {
        // A blocking receive watches no token: closing the socket is what wakes it.
        await using var abandon = cancellationToken.Register(connection.Dispose).ConfigureAwait(false);
        try
        {
            await Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("the download was cancelled", e, cancellationToken);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReceiveToWriter(FileClientConnection connection, DiskWriter writer, int range, long offset, long length,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var remaining = length;
        var position = offset;
        while (remaining > 0)
        {
            var chunk = ArrayPool<byte>.Shared.Rent(DiskWriter.ChunkSize);
            var want = (int)Math.Min(DiskWriter.ChunkSize, remaining);
            var filled = 0;
            try
            {
                while (filled < want)
                {
                    var read = Read(connection, chunk.AsSpan(filled, want - filled), remaining - filled);
                    filled += read;
                    progress?.Report(read);
                }
            }
            catch (FileTransferException)
            {
                writer.Enqueue(chunk, filled, position, range, CancellationToken.None);
                throw;
            }

            writer.Enqueue(chunk, filled, position, range, cancellationToken);
            position += filled;
            remaining -= filled;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReceiveAndHash(FileClientConnection connection, XxHash128 hasher, long length, IProgress<long>? progress)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DiskWriter.ChunkSize);
        try
        {
            for (var remaining = length; remaining > 0;)
            {
                var read = Read(connection, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), remaining);
                hasher.Append(buffer.AsSpan(0, read));
                progress?.Report(read);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Read(FileClientConnection connection, Span<byte> destination, long remaining)
    {
        int read;
        try
        {
            read = connection.Frames.ReadRaw(destination);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            throw new FileTransferException($"no data for {connection.Timeout.TotalSeconds:0.#} s with {remaining} bytes still to come", inner: e);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            throw new FileTransferException($"connection lost with {remaining} bytes still to come: {e.Message}", inner: e);
        }

        return read > 0 ? read : throw new FileTransferException($"the server closed the connection with {remaining} bytes still to come");
    }
}
