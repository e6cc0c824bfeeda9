using System.Diagnostics;
using Wirekit.Engines;
using Wirekit.Framing;
using Wirekit.Logging;

namespace Wirekit.Chat;

/// <summary>
/// One session's place in the room, kept in <see cref="ISession.State"/>. The framer and flood guard are touched
/// only by the session's own receive callbacks (never concurrent); the name, <see cref="InRoom"/>,
/// <see cref="Announced"/> and <see cref="ArrivalTimer"/> only under the room's lock; the terminator and activity
/// clock are single writes read by other threads.
/// </summary>
internal sealed class ChatMember : RoomMember
{
    // Complaints about a member's input: at most this many log lines per interval (then a count of the rest).
    private const int ComplaintBurst = 5;
    private static readonly TimeSpan ComplaintInterval = TimeSpan.FromSeconds(10);

    private long _lastActivity;
    private LogThrottle? _complaints;
    private LeaveReason? _closedBecause;
    private bool _announced;
    private volatile bool _styleChosen;
    private byte _terminator = (byte)LineTerminator.Newline;

    public ChatMember(ISession session, string name, ChatOptions options)
        : base(name)
    {
        Session = session;
        var now = Stopwatch.GetTimestamp();
        _lastActivity = now;
        Framer = new LineFramer(options.MaxMessageBytes);
        Flood = new FloodGuard(options.RateLimit, options.Burst, options.MaxRepeats, now);
    }

    public ISession Session { get; }

    /// <summary>With a backplane: its session ended and its leave was published; the room's late events pass it by. Under the room's lock.</summary>
    public bool Departed { get; set; }

    /// <summary>
    /// Handed to the room (<see cref="ChatRoom.Admit"/>): false while a room with a password waits for its <c>/pass</c>
    /// line, and for a newcomer the room refused. Only the session's own callbacks touch it.
    /// </summary>
    public bool Admitted { get; set; }

    /// <summary>Listed in the room and sent to; false once it left or its queue overflowed.</summary>
    public bool InRoom { get; set; }

    /// <summary>Its join was announced. Written under the room's lock; read without it only as a hint.</summary>
    public bool Announced
    {
        get => Volatile.Read(ref _announced);
        set => Volatile.Write(ref _announced, value);
    }

    /// <summary>Announces the join when the room's <see cref="ChatOptions.JoinGrace"/> passes first; set and cleared under the room's lock.</summary>
    public Timer? ArrivalTimer { get; set; }

    public LineFramer Framer { get; }

    public FloodGuard Flood { get; }

    /// <summary>Bounds the log lines about this member's bad input; made on the first complaint (most members never earn one).</summary>
    public LogThrottle Complaints => _complaints ??= new LogThrottle(ComplaintBurst, ComplaintInterval);

    /// <summary>Complaints counted but not logged yet.</summary>
    public long ComplaintsPending => _complaints?.Pending ?? 0;

    /// <summary>Why the service closed this session, when it did (quit, flooding); null otherwise.</summary>
    public LeaveReason? ClosedBecause => Volatile.Read(ref _closedBecause);

    public bool IsLeaving => ClosedBecause is not null;

    /// <summary>The byte that ends every line this member receives: the terminator it used first.</summary>
    public byte Terminator => Volatile.Read(ref _terminator);

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public void Touch(long now) => Volatile.Write(ref _lastActivity, now);

    /// <summary>
    /// The service ends this member's session: records why (the first reason wins, as with
    /// <see cref="ISession.Close"/>), then closes it. The leave notice gives that reason.
    /// </summary>
    public void Leave(LeaveReason why)
    {
        Interlocked.CompareExchange(ref _closedBecause, why, null);
        Session.Close(DisconnectReason.ClosedByService);
    }

    public void ChooseStyleOnce(LineTerminator terminator)
    {
        if (!_styleChosen)
        {
            Volatile.Write(ref _terminator, (byte)terminator);
            // A NUL-style client (written as the classic C clients are) prints one string per recv, so it would show only
            // the first of several lines coalesced into one send: give it each line in a send of its own.
            if (terminator == LineTerminator.Nul)
            {
                Session.KeepsSendBoundaries = true;
            }

            _styleChosen = true;
        }
    }
}
