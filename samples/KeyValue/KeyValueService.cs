using System.Collections.Concurrent;
using System.Text;
using Wirekit.Engines;

namespace Wirekit.Samples.KeyValue;

/// <summary>
/// A tiny key-value store over length-prefixed frames, written once and run on every Wirekit engine.
/// Request payload: one operation byte, then for <c>S</c> (set) a 1-byte key length, the key and the value; for
/// <c>G</c> (get) and <c>D</c> (delete) the key. Response payload: one status byte (<see cref="Status"/>), then the
/// value for a successful get, or a UTF-8 message for an error. Keys are shared by every client of the server.
/// </summary>
public sealed class KeyValueService : ISessionService
{
    /// <summary>The first byte of every response.</summary>
    public enum Status : byte
    {
        Ok = 0,
        NotFound = 1,
        Error = 2,
    }

    private readonly ConcurrentDictionary<string, byte[]> _store = new(StringComparer.Ordinal);

    /// <summary>Keys stored right now.</summary>
    public int Count => _store.Count;

    public void OnConnected(ISession session) => session.State = new FrameAssembler();

    public void OnReceived(ISession session, ReadOnlySpan<byte> data)
    {
        var assembler = (FrameAssembler)session.State!;
        if (assembler.Feed(data, (Service: this, Session: session), static (state, payload) => state.Service.Answer(state.Session, payload))
            == FrameAssembler.Result.TooLarge)
        {
            // Past a bad length nothing in the stream can be trusted: say why, then close (queued bytes go out first).
            Reply(session, Status.Error, Encoding.UTF8.GetBytes($"a frame holds at most {Frame.MaxPayload} bytes"));
            session.Close(DisconnectReason.ClosedByService);
        }
    }

    public void OnDisconnected(ISession session, DisconnectReason reason)
    {
    }

    private void Answer(ISession session, ReadOnlySpan<byte> request)
    {
        if (request.IsEmpty)
        {
            Reply(session, Status.Error, "empty request"u8);
            return;
        }

        var operation = request[0];
        var body = request[1..];
        switch (operation)
        {
            case (byte)'S' when body.Length >= 1 && body.Length >= 1 + body[0]:
                _store[Encoding.UTF8.GetString(body.Slice(1, body[0]))] = body[(1 + body[0])..].ToArray();
                Reply(session, Status.Ok, default);
                break;
            case (byte)'G':
                if (_store.TryGetValue(Encoding.UTF8.GetString(body), out var value))
                {
                    Reply(session, Status.Ok, value);
                }
                else
                {
                    Reply(session, Status.NotFound, default);
                }

                break;
            case (byte)'D':
                Reply(session, _store.TryRemove(Encoding.UTF8.GetString(body), out _) ? Status.Ok : Status.NotFound, default);
                break;
            default:
                Reply(session, Status.Error, "unknown or malformed operation"u8);
                break;
        }
    }

    /// <summary>Frames a response (on the stack when small; values may be large) and queues it: Send never blocks.</summary>
    private static void Reply(ISession session, Status status, ReadOnlySpan<byte> body)
    {
        var length = Frame.HeaderSize + 1 + body.Length;
        Span<byte> frame = length <= 512 ? stackalloc byte[length] : new byte[length];
        Frame.WriteHeader(frame, 1 + body.Length);
        frame[Frame.HeaderSize] = (byte)status;
        body.CopyTo(frame[(Frame.HeaderSize + 1)..]);
        session.Send(frame);
    }
}
