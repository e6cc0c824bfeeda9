using Wirekit.Engines;

namespace Wirekit.Chat;

/// <summary>Why a member left, as its leave notice tells the room (<see cref="ChatWording.Describe"/>).</summary>
internal enum LeaveKind
{
    Quit,
    Flooding,
    Closed,
    ConnectionReset,
    Timeout,
    SlowConsumer,
    ServerShutdown,
    ClosedByServer,
    Error,
}

/// <summary>
/// A leave with its detail (the words after <c>/quit</c>). The service records one when it closes a session itself
/// (<see cref="ChatMember.Leave"/>), because <see cref="ISession.Close"/> carries only a <see cref="DisconnectReason"/>.
/// </summary>
internal sealed record LeaveReason(LeaveKind Kind, string? Detail = null)
{
    /// <summary>A quit reason sits inside a server notice: spaces collapsed and at most this many characters, so the
    /// notice stays within 80 columns and cannot wrap a line of its own ("-!- server shutting down") onto the next row.</summary>
    public const int MaxQuitDetail = 32;

    public static readonly LeaveReason Flooding = new(LeaveKind.Flooding);

    /// <summary>Refused before the room took it (a wrong password, a certificate name already here): never announced.</summary>
    public static readonly LeaveReason Refused = new(LeaveKind.ClosedByServer);

    private static readonly LeaveReason PlainQuit = new(LeaveKind.Quit);
    private static readonly LeaveReason Closed = new(LeaveKind.Closed);
    private static readonly LeaveReason ConnectionReset = new(LeaveKind.ConnectionReset);
    private static readonly LeaveReason Timeout = new(LeaveKind.Timeout);
    private static readonly LeaveReason SlowConsumer = new(LeaveKind.SlowConsumer);
    private static readonly LeaveReason ServerShutdown = new(LeaveKind.ServerShutdown);
    private static readonly LeaveReason ClosedByServer = new(LeaveKind.ClosedByServer);
    private static readonly LeaveReason Error = new(LeaveKind.Error);

    /// <summary><c>/quit</c> or <c>/quit why</c>.</summary>
    public static LeaveReason Quit(string why)
    {
        var words = string.Join(' ', why.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return words.Length == 0 ? PlainQuit : new(LeaveKind.Quit, Shorten(words, MaxQuitDetail));
    }

    /// <summary>Why the session ended: the service's own reason when it closed it, else the engine's.</summary>
    public static LeaveReason Of(DisconnectReason reason, LeaveReason? byService) => reason switch
    {
        DisconnectReason.ClosedByService => byService ?? ClosedByServer,
        DisconnectReason.PeerClosed => Closed,
        DisconnectReason.PeerReset => ConnectionReset,
        DisconnectReason.Timeout or DisconnectReason.HandshakeTimeout => Timeout,
        DisconnectReason.SlowConsumer => SlowConsumer,
        DisconnectReason.ServerShutdown => ServerShutdown,
        _ => Error,
    };

    private static string Shorten(string text, int maxCharacters)
    {
        var end = 0;
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (++count > maxCharacters)
            {
                return text[..end] + "...";
            }

            end += rune.Utf16SequenceLength;
        }

        return text;
    }
}
