using System.Buffers;

namespace Wirekit.Framing;

/// <summary>How a text message ended: the chat answers each peer in the style it used first.</summary>
public enum LineTerminator : byte
{
    Newline = (byte)'\n',
    Nul = 0,
}

/// <summary>
/// Splits a byte stream into messages ended by <c>\n</c> (a <c>\r</c> before it is dropped) or <c>\0</c>, whatever
/// way TCP split or joined the peer's sends. Pure and resumable: feed it bytes as they arrive, one byte at a time if
/// need be. Bounded: it buffers at most <c>maxMessageBytes + 1</c> bytes (the +1 is a CR waiting for its LF); a
/// longer message is skipped up to its terminator without being stored and reported once as
/// <see cref="OperationStatus.InvalidData"/>.
/// </summary>
public sealed class LineFramer
{
    private readonly int _maxMessageBytes;
    private readonly byte[] _pending;
    private int _pendingLength;
    private bool _discarding;

    public LineFramer(int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        _maxMessageBytes = maxMessageBytes;
        _pending = new byte[maxMessageBytes + 1];
    }

    /// <summary>Bytes of an unfinished message held from earlier calls.</summary>
    public int PendingBytes => _pendingLength;

    /// <summary>
    /// Reads the next message from <paramref name="input"/>, advancing it past what was consumed.
    /// <see cref="OperationStatus.Done"/>: <paramref name="message"/> holds it (terminator and CR removed), valid until
    /// the next call. <see cref="OperationStatus.InvalidData"/>: a message longer than the limit ended here and was
    /// dropped. <see cref="OperationStatus.NeedMoreData"/>: the input is used up (any partial message is kept).
    /// </summary>
    public OperationStatus TryRead(ref ReadOnlySpan<byte> input, out ReadOnlySpan<byte> message, out LineTerminator terminator)
    {
        message = default;
        terminator = LineTerminator.Newline;
        var end = input.IndexOfAny((byte)'\n', (byte)0);
        if (end < 0)
        {
            Hold(input);
            input = default;
            return OperationStatus.NeedMoreData;
        }

        terminator = (LineTerminator)input[end];
        var tail = input[..end];
        input = input[(end + 1)..];
        if (_discarding)
        {
            _discarding = false;
            return OperationStatus.InvalidData;
        }

        ReadOnlySpan<byte> whole;
        if (_pendingLength == 0)
        {
            // The common case: the whole message is in this receive, so it is never copied.
            whole = tail;
        }
        else if (_pendingLength + tail.Length <= _pending.Length)
        {
            tail.CopyTo(_pending.AsSpan(_pendingLength));
            whole = _pending.AsSpan(0, _pendingLength + tail.Length);
            _pendingLength = 0;
        }
        else
        {
            _pendingLength = 0;
            return OperationStatus.InvalidData;
        }

        if (terminator == LineTerminator.Newline && whole.Length > 0 && whole[^1] == (byte)'\r')
        {
            whole = whole[..^1];
        }

        if (whole.Length > _maxMessageBytes)
        {
            return OperationStatus.InvalidData;
        }

        message = whole;
        return OperationStatus.Done;
    }

    private void Hold(ReadOnlySpan<byte> partial)
    {
        if (_discarding)
        {
            return;
        }

        if (_pendingLength + partial.Length > _pending.Length)
        {
            // Too long already, whatever follows: forget it and skip to the terminator.
            _pendingLength = 0;
            _discarding = true;
            return;
        }

        partial.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += partial.Length;
    }
}
