namespace Wirekit.Samples.KeyValue;

/// <summary>
/// Collects one session's bytes into whole frames, however the kernel split or joined them. Holds at most one
/// frame's worth (header + <see cref="Frame.MaxPayload"/>), allocated once per session, and only when a frame is
/// split across receives: a frame that arrives whole is handed on straight from the receive buffer.
/// </summary>
public sealed class FrameAssembler
{
    private byte[]? _pending;
    private int _pendingCount;

    /// <summary>What <see cref="Feed"/> found wrong with the stream, if anything.</summary>
    public enum Result
    {
        Ok,

        /// <summary>A header declared more than <see cref="Frame.MaxPayload"/> bytes: the stream cannot be trusted after it.</summary>
        TooLarge,
    }

    /// <summary>Calls <paramref name="onFrame"/> with <paramref name="state"/> for every whole frame in <paramref name="data"/> (and what was pending before it).</summary>
    public Result Feed<TState>(ReadOnlySpan<byte> data, TState state, FrameHandler<TState> onFrame)
    {
        while (!data.IsEmpty)
        {
            if (_pendingCount == 0)
            {
                // The common case: whole frames straight from the receive buffer, no copy.
                if (data.Length < Frame.HeaderSize)
                {
                    Keep(data);
                    return Result.Ok;
                }

                if (!Frame.TryReadLength(data, out var length))
                {
                    return Result.TooLarge;
                }

                if (data.Length < Frame.HeaderSize + length)
                {
                    Keep(data);
                    return Result.Ok;
                }

                onFrame(state, data.Slice(Frame.HeaderSize, length));
                data = data[(Frame.HeaderSize + length)..];
                continue;
            }

            // Completing a frame that began in an earlier receive: first its header, then its payload.
            var needed = _pendingCount < Frame.HeaderSize ? Frame.HeaderSize : Frame.HeaderSize + PendingLength();
            var take = Math.Min(needed - _pendingCount, data.Length);
            Keep(data[..take]);
            data = data[take..];
            if (_pendingCount == Frame.HeaderSize && !Frame.TryReadLength(_pending!, out _))
            {
                return Result.TooLarge;
            }

            if (_pendingCount >= Frame.HeaderSize && _pendingCount == Frame.HeaderSize + PendingLength())
            {
                onFrame(state, _pending!.AsSpan(Frame.HeaderSize, _pendingCount - Frame.HeaderSize));
                _pendingCount = 0;
            }
        }

        return Result.Ok;
    }

    private int PendingLength() => Frame.TryReadLength(_pending!, out var length) ? length : 0;

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        _pending ??= new byte[Frame.HeaderSize + Frame.MaxPayload];
        bytes.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += bytes.Length;
    }
}

/// <summary>
/// Receives one whole frame's payload; the span is valid only during the call. The state argument lets a caller pass
/// what it needs without a closure, so feeding allocates nothing per receive.
/// </summary>
public delegate void FrameHandler<in TState>(TState state, ReadOnlySpan<byte> payload);
