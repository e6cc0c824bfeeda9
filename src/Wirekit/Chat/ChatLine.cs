using System.Buffers;
using System.Text;

namespace Wirekit.Chat;

/// <summary>
/// Builds one outgoing line in a pooled buffer with one spare byte at the end for the receiver's terminator, so a
/// broadcast encodes once and each member's copy differs only in that byte.
/// </summary>
internal ref struct ChatLine
{
    private byte[] _buffer;
    private int _length;

    public ChatLine(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity + 1);

    public void Append(string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>Appends peer text cleaned by <see cref="ChatText"/>: what could drive or fool a terminal becomes '?'.</summary>
    public void AppendText(ReadOnlySpan<byte> text)
    {
        if (ChatText.IsClean(text))
        {
            Reserve(text.Length);
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
            return;
        }

        Reserve(ChatText.MaxCleanedLength(text.Length));
        _length += ChatText.Clean(text, _buffer.AsSpan(_length));
    }

    /// <summary>The line ended by <paramref name="terminator"/>; valid until the next call or <see cref="Dispose"/>.</summary>
    public readonly ReadOnlySpan<byte> Terminated(byte terminator)
    {
        _buffer[_length] = terminator;
        return _buffer.AsSpan(0, _length + 1);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Reserve(int more)
    {
        // One byte always stays free for the terminator.
        if (_length + more + 1 <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(_length + more + 1);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
