using Wirekit.Diagnostics;
using Wirekit.Streams;

namespace Wirekit.Diagnostics.Http;

/// <summary>
/// Sits between HttpClient's HTTP/1.1 parser and the (already decrypted) connection and keeps a copy of each response
/// head, the bytes from the status line to the blank line, exactly as the server sent them. HttpClient parses headers
/// into typed collections (one `Via: a, b` becomes two values, `cache-CONTROL` becomes `Cache-Control`, folded lines
/// are joined), and `http get -i` is for seeing what the server really said.
/// A head starts with the first byte read after a request was written: HTTP/1.1 without pipelining answers in order.
/// </summary>
internal sealed class ResponseHeadTap(Stream inner, ResponseHeadRecorder recorder) : DelegatingStream(inner)
{
    // HttpClient's own limit for a response head (SocketsHttpHandler.MaxResponseHeadersLength default, 64 KiB).
    internal const int MaxHeadBytes = 64 * 1024;

    private readonly byte[] _head = new byte[MaxHeadBytes];
    private int _length;
    private bool _capturing;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeginResponse();
        return Inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeginResponse();
        Inner.Write(buffer);
    }

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
