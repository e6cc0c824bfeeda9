using System.Buffers;
using System.IO.Hashing;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace Wirekit.Transfer;

/// <summary>
/// Decouples receiving from the disk (the seed's advice: queue received data to a writer thread so a slow disk
/// never stalls recv into a zero window). Receive loops enqueue pooled chunks tagged with a file offset; one owned
/// writer task writes them with RandomAccess.Write and, for a sequential download, hashes them as it goes, so
/// verification overlaps the transfer. The queue holds at most QueueBytes: when full, enqueuing waits (policy:
/// pause the receiver), which closes the TCP window instead of growing memory.
/// </summary>
internal sealed class DiskWriter : IAsyncDisposable
{
    public const int ChunkSize = 256 * 1024;

    private readonly SafeFileHandle _file;
    private readonly XxHash128? _hasher;
    private readonly long _hashPrefix;
    private readonly long[] _rangeWritten;
    private readonly Channel<Chunk> _queue;
    private readonly Task _writer;

    // hasher: hashes every byte in file order, so only for one range whose chunks arrive in order.
    // hashPrefix: bytes already in the file (a resume), hashed by the writer before it drains the queue.
    public DiskWriter(SafeFileHandle file, long queueBytes, XxHash128? hasher, long hashPrefix, int ranges)
    {
        _file = file;
        _hasher = hasher;
        _hashPrefix = hashPrefix;
        _rangeWritten = new long[ranges];
        var capacity = (int)Math.Clamp(queueBytes / ChunkSize, 1, int.MaxValue);
        _queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Bytes written to disk per range, contiguous from each range's start.</summary>
    public long Written(int range) => Interlocked.Read(ref _rangeWritten[range]);

    /// <summary>Hands a rented buffer over (the writer returns it to the pool). Blocks while the queue is full: the receive loop owns its thread.</summary>
    public void Enqueue(byte[] rented, int count, long offset, int range, CancellationToken cancellationToken)
    {
        var chunk = new Chunk(rented, count, offset, range);
        try
        {
            if (!_queue.Writer.TryWrite(chunk))
            {
                _queue.Writer.WriteAsync(chunk, cancellationToken).AsTask().GetAwaiter().GetResult();
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    /// <summary>No more chunks: waits until everything queued is on disk (or the writer failed).</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The download already failed for a reason reported by its caller.
        }
    }

    private async Task WriteLoopAsync()
    {
        if (_hasher is not null && _hashPrefix > 0)
        {
            HashExistingPrefix();
        }

        await foreach (var chunk in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var data = chunk.Buffer.AsSpan(0, chunk.Count);
                RandomAccess.Write(_file, data, chunk.Offset);
                _hasher?.Append(data);
                Interlocked.Add(ref _rangeWritten[chunk.Range], chunk.Count);
            }
            catch (Exception e)
            {
                // Closing the queue wakes every receiver waiting on a full queue; they fail instead of hanging.
                _queue.Writer.TryComplete(e);
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }
        }
    }

    private void HashExistingPrefix()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize * 4);
        try
        {
            for (long position = 0; position < _hashPrefix;)
            {
                var read = RandomAccess.Read(_file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, _hashPrefix - position)), position);
                if (read == 0)
                {
                    throw new IOException("the .part file shrank while being resumed");
                }

                _hasher!.Append(buffer.AsSpan(0, read));
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Count, long Offset, int Range);
}
