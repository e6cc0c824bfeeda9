using System.Buffers;
using System.IO.Hashing;

namespace Wirekit.Transfer;

/// <summary>
/// XXH128 of served files, computed once per path + size + mtime: a second download, or the other connections of a
/// parallel one, never rehash. Concurrent requests for the same version share one hashing task. Holds one slot
/// per path, so its size is bounded by the folder's.
/// </summary>
internal sealed class FileHashCache : IDisposable
{
    private const int ReadChunk = 1024 * 1024;

    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public Task<UInt128> GetAsync(JailedFile file)
    {
        lock (_slots)
        {
            if (_slots.TryGetValue(file.RealPath, out var slot) && slot.Size == file.Size && slot.LastWriteUtc == file.LastWriteUtc
                && !slot.Hash.IsFaulted && !slot.Hash.IsCanceled)
            {
                return slot.Hash;
            }

            var hash = Task.Run(() => HashFileAsync(file.RealPath, _stopping.Token));
            _slots[file.RealPath] = new Slot(file.Size, file.LastWriteUtc, hash);
            return hash;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    internal static async Task<UInt128> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var hasher = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, ReadChunk), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            return hasher.GetCurrentHashAsUInt128();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record Slot(long Size, DateTime LastWriteUtc, Task<UInt128> Hash);
}
