using Wirekit.Streams;

namespace Wirekit.Tls;

/// <summary>
/// The client's socket stream under <see cref="System.Net.Security.SslStream"/>, with a read-ahead buffer. SslStream asks its inner stream
/// for a record's header and then its body, so a bulk download costs two receive calls per 16 KiB record (131,000 per
/// GiB, as curl's OpenSSL does); one receive into this buffer takes every record the socket holds (about 7,000 per
/// GiB, measured with strace), and SslStream's small reads are then served from memory. Writes pass straight through,
/// unbuffered, so a chat line or a request leaves when written. The buffer is a plain array, not pooled: a receive
/// still blocked in it when the stream is disposed (a cancelled download) must not write into someone else's rental.
/// </summary>
internal sealed class ReadAheadStream(Stream inner) : DelegatingStream(inner)
{
    private const int BufferSize = 64 * 1024;

    private byte[]? _buffer;
    private int _start;
    private int _end;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_end == _start)
        {
            if (buffer.Length >= BufferSize)
            {
                return Inner.Read(buffer); // as large as ours: no copy through it
            }

            _buffer ??= new byte[BufferSize];
            _start = 0;
            _end = Inner.Read(_buffer);
        }

        return TakeBuffered(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_end == _start)
        {
            if (buffer.Length >= BufferSize)
            {
                return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            _buffer ??= new byte[BufferSize];
            _start = 0;
            _end = await Inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }

        return TakeBuffered(buffer.Span);
    }

    /// <summary>Copies what is buffered (never empty here, unless the peer closed: then 0) into <paramref name="destination"/>.</summary>
    private int TakeBuffered(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }
}
