using System.Buffers;
using System.Runtime.CompilerServices;
using Wirekit.Chat;
using Wirekit.Tls;

namespace Wirekit.Framing;

/// <summary>
/// Text a client prints, cut from what a server sends into lines cleaned for a terminal (<see cref="ChatText"/>).
/// A line ends at <c>\n</c>, <c>\r\n</c> or <c>\0</c>, whatever way TCP split or joined the sends. An empty line ended
/// by NUL is never shown: it is either the NUL of <c>text\n\0</c> (a server relaying newline text in the NUL style
/// ends each line with both) or zero padding. Optionally, what follows a NUL in the same receive is dropped: a peer
/// in the style of the classic C examples sends its whole fixed-size buffer (text, NUL, then whatever the buffer
/// held), and the bytes after the NUL were never meant as text.
/// </summary>
internal sealed class ReceivedLines(int maxLineBytes, string tooLongNotice, bool dropAfterNul)
{
    private readonly LineFramer _framer = new(maxLineBytes);

    /// <summary>The lines <paramref name="connection"/> receives, as they complete, until the peer closes the connection.</summary>
    public async IAsyncEnumerable<string> ReadAsync(ClientStream connection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var lines = new List<string>();
        while (true)
        {
            var received = await connection.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                yield break;
            }

            lines.Clear();
            Add(buffer.AsSpan(0, received), lines);
            foreach (var line in lines)
            {
                yield return line;
            }
        }
    }

    /// <summary>Adds the lines completed by one receive to <paramref name="lines"/>; a partial line is kept for the next.</summary>
    public void Add(ReadOnlySpan<byte> received, List<string> lines)
    {
        while (true)
        {
            switch (_framer.TryRead(ref received, out var line, out var terminator))
            {
                case OperationStatus.NeedMoreData:
                    return;
                case OperationStatus.Done:
                    if (terminator == LineTerminator.Newline || !line.IsEmpty)
                    {
                        lines.Add(ChatText.Clean(line));
                    }

                    if (terminator == LineTerminator.Nul && dropAfterNul)
                    {
                        return; // the rest of this buffer is padding
                    }

                    break;
                default:
                    lines.Add(tooLongNotice);
                    break;
            }
        }
    }
}
