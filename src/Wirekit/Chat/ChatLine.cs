using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Wirekit.Chat;

/// <summary>
/// Builds one outgoing line in a pooled buffer with one spare byte at the end for the receiver's terminator, so a
/// broadcast encodes once and each member's copy differs only in that byte.
/// </summary>
internal ref struct ChatLine
{
    // C0 controls except tab: a peer must not be able to forge line breaks or terminal escapes for others.
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b != '\t').Select(b => (byte)b), 0x7F]);

    private byte[] _buffer;
    private int _length;

    public ChatLine(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity + 1);

    public void Append(string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>Appends peer text, with invalid UTF-8 replaced and control characters shown as '?'.</summary>
    public void AppendText(ReadOnlySpan<byte> text)
    {
        if (text.IndexOfAny(ControlBytes) < 0 && Utf8.IsValid(text))
        {
            Reserve(text.Length);
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
            return;
        }

        Append(Clean(text));
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

    /// <summary>Decodes peer bytes for display or command parsing, cleaned the same way as <see cref="AppendText"/>.</summary>
    public static string Clean(ReadOnlySpan<byte> text)
    {
        var decoded = Encoding.UTF8.GetString(text);
        return string.Create(decoded.Length, decoded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = (c < ' ' && c != '\t') || c == '\x7F' ? '?' : c;
            }
        });
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
