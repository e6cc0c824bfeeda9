using System.Net;
using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;

namespace Wirekit.Tests.Chat;

/// <summary>The room without sockets: what a broadcast costs and what each member is handed.</summary>
public sealed class ChatRoomTests
{
    [Theory]
    [InlineData("plain text, the common case")]
    [InlineData("text to clean: \u009b2J \u202eevil")]
    public void A_broadcast_allocates_nothing_per_message(string text)
    {
        var room = new ChatRoom(new ChatOptions { JoinGrace = TimeSpan.Zero });
        var sessions = Enumerable.Range(1, 10).Select(id => new CountingSession(id)).ToArray();
        var members = sessions.Select(session => new ChatMember(session, ChatNames.Default(session.Id), room.Options)).ToArray();
        foreach (var member in members)
        {
            room.Admit(member);
        }

        var message = Encoding.UTF8.GetBytes(text);
        room.Say(members[0], message); // the pool's first rent of this size
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            room.Say(members[0], message);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(sessions, session => Assert.Equal(1001, session.Lines));
    }

    /// <summary>A session that only counts the lines it is handed.</summary>
    private sealed class CountingSession(long id) : ISession
    {
        public long Id { get; } = id;

        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 1);

        public object? State { get; set; }

        public int QueuedBytes => 0;

        public bool KeepsSendBoundaries { get; set; }

        public int Lines { get; private set; }

        public bool Send(ReadOnlySpan<byte> data)
        {
            if (data.Length > 0 && data[0] == (byte)'<')
            {
                Lines++;
            }

            return true;
        }

        public void Close(DisconnectReason reason)
        {
        }
    }
}
