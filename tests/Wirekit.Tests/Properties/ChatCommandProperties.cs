using System.Net;
using System.Text;
using FsCheck.Xunit;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Fuzz;

namespace Wirekit.Tests.Properties;

/// <summary>
/// The chat command parser as the server runs it (framer, flood rules, commands, room): what every member receives
/// depends on the lines a member sent, never on how TCP cut them (issue 13 §3). Lines are drawn from every command,
/// its malformed forms, and arbitrary text, so renames, whispers, /me, unknown commands and a /quit all occur.
/// </summary>
public sealed class ChatCommandProperties
{
    private static readonly string[] Vocabulary =
    [
        "/nick alice", "/nick bob", "/NICK Carol", "/nick", "/nick user3", "/nick a b", "/who", "/me waves", "/me",
        "/msg alice hi", "/msg user2 psst", "/msg nobody x", "/msg", "/help", "/unknown", "//not a command", "/quit bye",
        "hello", "hello", "", "  ",
    ];

    [Property(MaxTest = 200)]
    public bool Every_member_receives_the_same_bytes_whatever_the_split(int[] picks, string[] texts, byte[] sizes, bool nulStyle)
    {
        var lines = picks.Take(40).Select((pick, i) => (uint)pick % (Vocabulary.Length + 1) < Vocabulary.Length
            ? Vocabulary[(uint)pick % (Vocabulary.Length + 1)]
            : texts.Length == 0 ? "text" : texts[i % texts.Length] ?? "").ToList();
        var stream = Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => line.Replace('\n', ' ').Replace('\0', ' ') + (nulStyle ? "\0" : "\n"))));

        var whole = Transcripts(stream, []);
        // Not vacuous: every listener heard the room (joins at least), so a split that lost or reordered a line would show.
        return whole.Skip(1).All(t => t.Length > "|FalsePeerClosed".Length) && Transcripts(stream, [1]).SequenceEqual(whole) && Transcripts(stream, sizes.Take(7).ToArray()).SequenceEqual(whole);
    }

    /// <summary>Member 1 sends <paramref name="stream"/> cut by <paramref name="sizes"/>; members 2 and 3 listen. Each member's received bytes, as hex.</summary>
    private static List<string> Transcripts(byte[] stream, byte[] sizes)
    {
        // No rate limit (it reads the clock) and no join grace, so a run replays the same way; the repeat limit stays.
        var service = new ChatService(new ChatOptions { JoinGrace = TimeSpan.Zero, RateLimit = 0 });
        ISessionService sessions = service;
        var members = Enumerable.Range(1, 3).Select(id => new RecordingSession(id)).ToArray();
        foreach (var member in members)
        {
            sessions.OnConnected(member);
        }

        foreach (var chunk in FuzzInput.Parse(FuzzInput.Format(0, sizes, stream)).Chunks())
        {
            if (members[0].Closed)
            {
                break;
            }

            sessions.OnReceived(members[0], chunk.Span);
        }

        foreach (var member in members)
        {
            sessions.OnDisconnected(member, member.Closed ? member.Reason : DisconnectReason.PeerClosed);
        }

        service.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return members.Select(m => Convert.ToHexString(m.Received.ToArray()) + "|" + m.Closed + m.Reason).ToList();
    }

    private sealed class RecordingSession(long id) : ISession
    {
        public long Id { get; } = id;

        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 40000 + (int)id);

        public object? State { get; set; }

        public int QueuedBytes => 0;

        public bool KeepsSendBoundaries { get; set; }

        public MemoryStream Received { get; } = new();

        public bool Closed { get; private set; }

        public DisconnectReason Reason { get; private set; }

        public bool Send(ReadOnlySpan<byte> data)
        {
            Received.Write(data);
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
