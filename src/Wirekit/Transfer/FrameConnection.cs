using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace Wirekit.Transfer;

/// <summary>How a frame read ended.</summary>
internal enum FrameReadStatus
{
    Frame,

    /// <summary>The peer closed between frames: the normal end.</summary>
    EndOfStream,

    /// <summary>The size field is negative or beyond the bound for its code; the stream cannot be resynchronised.</summary>
    TooLarge,

    /// <summary>The peer's first bytes on a plaintext connection are a TLS ClientHello: a TLS client on the wrong port.</summary>
    TlsClientHello,
}

/// <summary>
/// Receives MYCMD frames from a socket into one buffer and hands the file data that follows some replies straight
/// through. The buffer is rented (64 KiB) and grows only when a frame whose size already passed its bound needs
/// it; it goes back to the pool on dispose.
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private const int InitialBufferSize = FileProtocol.HeaderSize + FileProtocol.MaxRequestPayload;

    private readonly Socket _socket;
    private readonly Stream? _tls;
    private readonly Func<int, int> _maxPayload;
    private readonly bool _judgesTls;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _start;
    private int _end;
    private int _pendingConsume;
    private bool _firstReadJudged;

    // tls: the TLS stream over the socket that every frame is read from (and replies written to); null for plaintext.
    // judgesTls: a server's connection, whose plaintext first read is checked for a TLS ClientHello (a client's is a reply).
    public FrameConnection(Socket socket, Func<int, int> maxPayload, Stream? tls = null, bool judgesTls = false)
    {
        _socket = socket;
        _maxPayload = maxPayload;
        _tls = tls;
        _judgesTls = judgesTls;
    }

    public Socket Socket => _socket;

    /// <summary>The TLS stream the frames travel in; null on a plaintext connection.</summary>
    public Stream? Tls => _tls;

    /// <summary>Returns the buffer to the pool; safe to call twice. The caller has stopped reading (or closed the socket).</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the next frame. Its payload is valid until the next call on this connection.</summary>
    public async ValueTask<(FrameReadStatus Status, FileFrame Frame)> ReadFrameAsync(CancellationToken cancellationToken)
    {
        _start += _pendingConsume;
        _pendingConsume = 0;
        while (true)
        {
            var buffered = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            var status = FileFrameReader.TryRead(buffered, _maxPayload, out var frame, out var consumed);
            if (status == OperationStatus.Done)
            {
                _pendingConsume = (int)buffered.Slice(0, consumed).Length;
                return (FrameReadStatus.Frame, frame);
            }

            if (status == OperationStatus.InvalidData)
            {
                return (FrameReadStatus.TooLarge, frame);
            }

            MakeRoomForFrame();
            var received = _tls is null
                ? await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false)
                : await _tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                if (_end == _start)
                {
                    return (FrameReadStatus.EndOfStream, default);
                }

                throw new EndOfStreamException($"the peer closed in the middle of a frame ({_end - _start} bytes of it received)");
            }

            _end += received;
            if (!_firstReadJudged)
            {
                // Before framing: a ClientHello parses as a request of any code and size (its size field is TLS lengths).
                _firstReadJudged = true;
                if (_tls is null && _judgesTls && Wirekit.Tls.TlsClientHello.Opens(_buffer.AsSpan(0, _end)))
                {
                    return (FrameReadStatus.TlsClientHello, default);
                }
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with raw bytes (file data after a reply header): first what is buffered,
    /// then from the socket, blocking (the receive loop owns its thread, see RangeReceiver). 0 = peer closed.
    /// </summary>
    public int ReadRaw(Span<byte> destination)
    {
        _start += _pendingConsume;
        _pendingConsume = 0;
        if (_end > _start)
        {
            var count = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, count).CopyTo(destination);
            _start += count;
            return count;
        }

        return _tls is null ? _socket.Receive(destination, SocketFlags.None) : _tls.Read(destination);
    }

    /// <summary>
    /// The first bytes of what the peer sent last, as text a person can read (controls shown as '.'): when a peer
    /// turns out not to speak this protocol, its words say what it is (a chat server's welcome, an HTTP status line).
    /// </summary>
    public string LastReceivedAsText(int maxChars)
    {
        var bytes = _buffer.AsSpan(_start, Math.Min(_end - _start, maxChars * 4));
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var shown = new System.Text.StringBuilder(Math.Min(text.Length, maxChars));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, maxChars)))
        {
            shown.Append(char.IsControl(c) || c == '\uFFFD' ? '.' : c);
        }

        return text.Length > maxChars ? shown.Append("...").ToString() : shown.ToString().TrimEnd('.');
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_tls is not null)
        {
            await _tls.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private void MakeRoomForFrame()
    {
        var buffered = _end - _start;
        var needed = buffered >= FileProtocol.HeaderSize
            ? FileProtocol.HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start + 4))
            : FileProtocol.HeaderSize;
        needed = Math.Max(needed, buffered + 1);
        if (_start > 0 && _buffer.Length - _start < needed)
        {
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
            _start = 0;
            _end = buffered;
        }

        if (_buffer.Length < needed)
        {
            // The size was checked against its bound by the reader, so this growth is bounded too.
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            _buffer.AsSpan(_start, buffered).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            _end -= _start;
            _start = 0;
        }
    }
}
