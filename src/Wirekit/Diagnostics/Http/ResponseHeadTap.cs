using Wirekit.Diagnostics;

namespace Wirekit.Diagnostics.Http;

/// <summary>
/// Sits between HttpClient's HTTP/1.1 parser and the (already decrypted) connection and keeps a copy of each response
/// head, the bytes from the status line to the blank line, exactly as the server sent them. HttpClient parses headers
/// into typed collections (one `Via: a, b` becomes two values, `cache-CONTROL` becomes `Cache-Control`, folded lines
/// are joined), and `http get -i` is for seeing what the server really said.
/// A head starts with the first byte read after a request was written: HTTP/1.1 without pipelining answers in order.
/// </summary>
internal sealed class ResponseHeadTap(Stream inner, ResponseHeadRecorder recorder) : Stream
{
    // HttpClient's own limit for a response head (SocketsHttpHandler.MaxResponseHeadersLength default, 64 KiB).
    internal const int MaxHeadBytes = 64 * 1024;

    private readonly byte[] _head = new byte[MaxHeadBytes];
    private int _length;
    private bool _capturing;

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeginResponse();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeginResponse();
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

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

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>A request is being written: whatever is read next is its response's head.</summary>
    private void BeginResponse()
    {
        if (!_capturing)
        {
            _capturing = true;
            _length = 0;
        }
    }

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        while (_capturing && bytes.Length > 0)
        {
            var room = Math.Min(bytes.Length, _head.Length - _length);
            if (room == 0)
            {
                // Larger than HttpClient accepts: it fails the request itself; keep nothing half-read.
                _capturing = false;
                return;
            }

            // Resume the search a few bytes back: the blank line may straddle two reads.
            var searchFrom = Math.Max(0, _length - 3);
            bytes[..room].CopyTo(_head.AsSpan(_length));
            _length += room;
            var end = ResponseHead.EndOf(_head.AsSpan(0, _length), searchFrom);
            if (end < 0)
            {
                bytes = bytes[room..];
                continue;
            }

            var head = ResponseHead.Parse(_head.AsSpan(0, end));
            var consumed = room - (_length - end);
            bytes = bytes[consumed..];
            _length = 0;
            if (!head.IsInterim)
            {
                // A 1xx (100 Continue, 103 Early Hints) is followed by the real response: keep reading for it.
                recorder.Last = head;
                _capturing = false;
            }
        }
    }
}

/// <summary>The last final response head the taps of one client saw; a fetch reads it once its headers arrived.</summary>
internal sealed class ResponseHeadRecorder
{
    private volatile ResponseHead? _last;

    public ResponseHead? Last
    {
        get => _last;
        set => _last = value;
    }
}
