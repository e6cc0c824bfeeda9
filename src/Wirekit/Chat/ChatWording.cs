using Wirekit.Engines;

namespace Wirekit.Chat;

/// <summary>
/// Every line docs/chat-protocol.md specifies, and nowhere else: the server's notices (<c>-!- </c>), the errors and
/// warnings to one member (<c>! </c>), and the forms that carry a member's words (<c>&lt;alice&gt; </c>,
/// <c>* alice </c>, <c>*alice* </c>, <c>-&gt; *bob* </c>), which never start the way the server's lines do. Change
/// the protocol's wording here and in the doc together. Public: what a client needs to recognise the server's lines
/// (the prefixes, the welcome, join and rename notices); the rest is the server's own.
/// </summary>
public static class ChatWording
{
    /// <summary>Starts every notice from the server; no member's line can start with it.</summary>
    public const string NoticePrefix = "-!- ";

    /// <summary>Starts every error the server sends to one member (the reply to a refused <c>/nick</c>, say).</summary>
    public const string ErrorPrefix = "! error: ";

    public const string ShuttingDown = NoticePrefix + "server shutting down";

    internal const string FloodWarning = "! warning: flooding (too fast or repeating yourself); the next time you are disconnected";

    internal static readonly string[] Help =
    [
        NoticePrefix + "commands:",
        NoticePrefix + "  /nick NAME      take a name (letters, digits, _ - .)",
        NoticePrefix + "  /who            list who is here",
        NoticePrefix + "  /msg NAME text  say something to NAME only",
        NoticePrefix + "  /me action      describe what you do: * you action",
        NoticePrefix + "  /quit [why]     leave the room",
        NoticePrefix + "  /help           this list",
        NoticePrefix + "  //text          say text that starts with a slash",
    ];

    /// <summary>Sent to a connection refused because the server is full, before it is closed.</summary>
    internal static ReadOnlySpan<byte> ServerFull => "-!- server full; try again later\n"u8;

    /// <summary>Sent to a connection refused at admission, saying why, before it is closed.</summary>
    internal static ReadOnlySpan<byte> Refused(RefusalReason reason) => reason switch
    {
        RefusalReason.Denied => "-!- your address is not allowed on this server\n"u8,
        RefusalReason.TooManyFromAddress => "-!- too many connections from your address; close one and try again\n"u8,
        _ => ServerFull,
    };

    public static string Welcome(string name) => $"{NoticePrefix}welcome, you are {name}; /help lists the commands";

    /// <summary>The name a <see cref="Welcome"/> line gives, for a client that wants to know what it is called.</summary>
    public static bool TryReadWelcome(string line, out string name)
    {
        const string start = NoticePrefix + "welcome, you are ";
        var end = line.IndexOf(';', StringComparison.Ordinal);
        name = line.StartsWith(start, StringComparison.Ordinal) && end > start.Length ? line[start.Length..end] : string.Empty;
        return name.Length > 0;
    }

    internal static string Motd(string motd) => $"{NoticePrefix}motd: {motd}";

    public static string Joined(string name) => $"{NoticePrefix}{name} joined";

    internal static string Left(string name, LeaveReason why) => $"{NoticePrefix}{name} left ({Describe(why)})";

    /// <summary>A member of another node leaves: the reason as that node worded it, or <see cref="NodeLost"/>.</summary>
    internal static string Left(string name, string why) => $"{NoticePrefix}{name} left ({why})";

    internal static string NodeLost(string node) => $"node {node} lost";

    internal const string BackplaneUnavailable = NoticePrefix + "backplane unavailable: only members on this server receive messages";

    internal const string BackplaneRestored = NoticePrefix + "backplane restored";

    internal const string NotDelivered = "! message not delivered to other servers";

    public static string Renamed(string old, string name) => $"{NoticePrefix}{old} is now known as {name}";

    internal static string Who(int count, IEnumerable<string> names) => $"{NoticePrefix}{count} online: {string.Join(", ", names)}";

    /// <summary>What a leave notice says in its parentheses.</summary>
    internal static string Describe(LeaveReason why) => why.Kind switch
    {
        LeaveKind.Quit => why.Detail is { } detail ? $"quit: {detail}" : "quit",
        LeaveKind.Flooding => "flooding",
        LeaveKind.Closed => "closed",
        LeaveKind.ConnectionReset => "connection reset",
        LeaveKind.Timeout => "timeout",
        LeaveKind.SlowConsumer => "slow consumer",
        LeaveKind.ServerShutdown => "server shutting down",
        LeaveKind.ClosedByServer => "closed by server",
        _ => "error",
    };

    /// <summary>Starts a member's message: <c>&lt;alice&gt; </c>. Written into the line, so a broadcast allocates nothing.</summary>
    internal static void MessageFrom(ref ChatLine line, string name)
    {
        line.Append("<");
        line.Append(name);
        line.Append("> ");
    }

    /// <summary>Starts a member's <c>/me</c>: <c>* alice </c>.</summary>
    internal static void ActionBy(ref ChatLine line, string name)
    {
        line.Append("* ");
        line.Append(name);
        line.Append(" ");
    }

    /// <summary>The bytes <see cref="MessageFrom"/> or <see cref="ActionBy"/> may write for <paramref name="name"/>.</summary>
    internal static int MaxPrefixLength(string name) => (name.Length * 3) + 3;

    internal static string WhisperFrom(string from, string text) => $"*{from}* {text}";

    internal static string WhisperEcho(string to, string text) => $"-> *{to}* {text}";

    internal static string MessageTooLong(int maxBytes) => $"{ErrorPrefix}message longer than {maxBytes} bytes; dropped";

    internal static string UnknownCommand(string verb) => $"{ErrorPrefix}unknown command {verb}; /help lists the commands";

    internal static string Usage(string form) => $"{ErrorPrefix}usage: {form}";

    internal static string NoSuchMember(string name) => $"{ErrorPrefix}nobody here is called {name}";

    internal static string NameRefused(string name, NameRefusal why) => ErrorPrefix + Explain(name, why);

    /// <summary>/nick in a room that names members by their client certificates.</summary>
    internal static string NameFromCertificate => ErrorPrefix + "names here come from client certificates: /nick is off";

    /// <summary>A room with a password, to a newcomer whose first line is not <c>/pass ...</c>; the connection is closed after it.</summary>
    internal const string PasswordRequired = ErrorPrefix + "this room needs a password: send /pass SECRET as your first line";

    /// <summary>A room with a password, to a newcomer whose <c>/pass</c> line has another secret; closed after it.</summary>
    internal const string WrongPassword = ErrorPrefix + "wrong password";

    /// <summary>Why <paramref name="name"/> cannot be taken, without the error prefix (for the log too).</summary>
    internal static string Explain(string name, NameRefusal why) => why switch
    {
        NameRefusal.Length => $"a name has 1 to {ChatNames.MaxLength} characters",
        NameRefusal.Characters => "a name uses only letters, digits, '_', '-' and '.'",
        NameRefusal.Start => "a name cannot start with '-', '.' or a combining mark",
        NameRefusal.Reserved => $"the name {name} is reserved",
        NameRefusal.DefaultName => "user<number> names are reserved for newcomers",
        NameRefusal.Taken => $"the name {name} is taken",
        _ => $"you are already {name}",
    };
}
