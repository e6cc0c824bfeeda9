using System.Net;
using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// The chat's parser as the server runs it (<see cref="ChatService.OnReceived"/>: <see cref="Framing.LineFramer"/>,
/// flood rules, the command parser, the room), with three members: the chunks are handed to them in turn. Whatever
/// they send, every line the room sends back is one line: it ends with the receiver's terminator, carries no other
/// control byte (no injected line, no terminal escape), is bounded by the message limit, and every name stays legal.
/// Mode 0 keeps the 4096-byte limit; modes 1..31 shrink it to 16 x mode bytes. The rate limit is off (it reads the
/// clock, and a fuzz case must replay the same way); the repeat limit stays.
/// </summary>
public sealed class ChatHarness : IHarness
{
    private const int Members = 3;

    public string Name => "chat";

    public void Run(FuzzInput input)
    {
        var limit = input.Mode == 0 ? 4096 : 16 * input.Mode;
        var options = new ChatOptions { MaxMessageBytes = limit, JoinGrace = TimeSpan.Zero, RateLimit = 0 };
        var service = new ChatService(options);
        ISessionService sessions = service;
        var members = Enumerable.Range(1, Members).Select(id => new RecordingSession(id, MaxLine(limit))).ToArray();
        foreach (var member in members)
        {
            sessions.OnConnected(member);
        }

        var turn = 0;
        foreach (var chunk in input.Chunks())
        {
            var from = members[turn++ % Members];
            if (from.Closed)
            {
                continue;
            }

            sessions.OnReceived(from, chunk.Span);
            foreach (var member in members.Where(m => m.Closed && !m.Left))
            {
                member.Left = true;
                sessions.OnDisconnected(member, member.Reason);
            }

            foreach (var member in service.Room.Snapshot())
            {
                // A member keeps the name it was given or one the rules allow (they refuse "userN" to a /nick).
                Invariant.Holds(member.Name == ChatNames.Default(member.Session.Id) || ChatNames.Check(member.Name) is null, $"the name '{member.Name}' is legal");
            }
        }

        service.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    // The longest line the room may send: a name, a prefix and a message cleaned to at most 3 bytes per byte.
    private static int MaxLine(int limit) => ChatText.MaxCleanedLength(limit) + 1024;

    public IEnumerable<(string Name, byte[] Input)> Seeds()
    {
        // What the chat tests' clients send, one chunk per member in turn.
        yield return ("conversation", Seed(0, [], "/nick alice\nhello everyone\n"));
        yield return ("three-members", Seed(0, [12, 9, 6], "/nick alice\n/nick bob\n/who\nhi bob\n/msg bob psst\n/me waves\n"));
        yield return ("nul-style", Seed(0, [7], "/nick c\0hello\0/quit bye\0"));
        yield return ("commands", Seed(0, [], "/help\n/unknown\n//not a command\n/nick\n/msg\n/me\n/quit\n"));
        yield return ("escapes", Seed(0, [], "text to clean: \u009b2J \u202eevil\x1b[2J\r\n/nick \u0430dmin\n"));
        yield return ("too-long", Seed(1, [5, 1], new string('x', 40) + "\nshort\n"));
        yield return ("repeats", Seed(0, [5], string.Concat(Enumerable.Repeat("spam\n", 12))));
    }

    private static byte[] Seed(int mode, byte[] chunks, string text) => FuzzInput.Format(mode, chunks, Encoding.UTF8.GetBytes(text));

    /// <summary>A session that checks every line the room sends it.</summary>
    private sealed class RecordingSession(long id, int maxLine) : ISession
    {
        public long Id { get; } = id;

        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 40000 + (int)id);

        public object? State { get; set; }

        public int QueuedBytes => 0;

        public bool KeepsSendBoundaries { get; set; }

        public bool Closed { get; private set; }

        public bool Left { get; set; }

        public DisconnectReason Reason { get; private set; }

        public bool Send(ReadOnlySpan<byte> data)
        {
            Invariant.Holds(!data.IsEmpty, "a send carries bytes");
            Invariant.Holds(data.Length <= maxLine, $"a line is bounded ({data.Length} > {maxLine})");
            var terminator = data[^1];
            Invariant.Holds(terminator is (byte)'\n' or 0, "a line ends with a terminator");
            foreach (var b in data)
            {
                // Several lines may share a send, each ended by the same terminator; below 0x20 only tab (ChatText keeps it).
                Invariant.Holds(b == terminator || b == (byte)'\t' || (b >= 0x20 && b != 0x7F), $"whole lines, no control byte 0x{b:X2} inside");
            }

            return true;
        }

        public void Close(DisconnectReason reason)
        {
            if (!Closed)
            {
                Closed = true;
                Reason = reason;
            }
        }
    }
}
