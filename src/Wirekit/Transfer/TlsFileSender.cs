using System.Buffers;

namespace Wirekit.Transfer;

/// <summary>
/// Sends a reply header and a file range through a TLS stream. sendfile cannot help here: the bytes must be
/// encrypted in user space (.NET has no kernel TLS), so they are read from the page cache into one large pooled
/// buffer and written on; SslStream cuts each write into 16 KiB records. The header leaves with the first chunk,
/// in the same write, so a small file is one burst of records. docs/file-protocol.md measures what this costs.
/// </summary>
internal static class TlsFileSender
{
    // Large enough that a file read and a stream write are rare next to the encryption itself; one per transfer.
    private const int ChunkSize = 256 * 1024;

    /// <summary>False when the file ended before <paramref name="length"/> bytes: it was truncated meanwhile.</summary>
    public static async Task<bool> SendAsync(Stream tls, byte[] prefix, FileStream file, long offset, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, prefix.Length + 1));
        try
        {
            prefix.CopyTo(buffer, 0);
            var filled = prefix.Length;
            var position = offset;
            var end = offset + length;
            while (true)
            {
                var wanted = (int)Math.Min(buffer.Length - filled, end - position);
                var read = wanted == 0 ? 0
                    : await RandomAccess.ReadAsync(file.SafeFileHandle, buffer.AsMemory(filled, wanted), position, cancellationToken).ConfigureAwait(false);
                position += read;
                filled += read;
                if (filled > 0)
                {
                    await tls.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                    filled = 0;
                }

                if (position == end)
                {
                    return true;
                }

                if (read == 0)
                {
                    return false;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
