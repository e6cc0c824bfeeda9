namespace Wirekit.Tls;

/// <summary>
/// The client's socket stream under <see cref="System.Net.Security.SslStream"/>, with a read-ahead buffer. SslStream asks its inner stream
/// for a record's header and then its body, so a bulk download costs two receive calls per 16 KiB record (131,000 per
/// GiB, as curl's OpenSSL does); one receive into this buffer takes every record the socket holds (about 7,000 per
/// GiB, measured with strace), and SslStream's small reads are then served from memory. Writes pass straight through,
/// unbuffered, so a chat line or a request leaves when written. The buffer is a plain array, not pooled: a receive
/// still blocked in it when the stream is disposed (a cancelled download) must not write into someone else's rental.
/// </summary>
internal sealed class ReadAheadStream(Stream inner) : Stream
{
    private const int BufferSize = 64 * 1024;

    private byte[]? _buffer;
    private int _start;
    private int _end;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

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
                return inner.Read(buffer); // as large as ours: no copy through it
            }

            _buffer ??= new byte[BufferSize];
            _start = 0;
            _end = inner.Read(_buffer);
        }

        return TakeBuffered(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            _buffer ??= new byte[BufferSize];
            _start = 0;
            _end = await inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }

        return TakeBuffered(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
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
