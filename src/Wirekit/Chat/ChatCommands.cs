using Microsoft.Extensions.Logging;
using Wirekit.Engines;

namespace Wirekit.Chat;

/// <summary>Turns one framed message into a room event: plain text is said to the room, <c>/command</c> lines are run.</summary>
internal sealed class ChatCommands(ChatRoom room, ILogger logger)
{
    private const int MaxQuitReason = 32;

    private static readonly string[] HelpLines =
    [
        "-!- commands:",
        "-!-   /nick NAME      take a name (letters, digits, _ - .)",
        "-!-   /who            list who is here",
        "-!-   /msg NAME text  say something to NAME only",
        "-!-   /me action      describe what you do: * you action",
        "-!-   /quit [why]     leave the room",
        "-!-   /help           this list",
        "-!-   //text          say text that starts with a slash",
    ];

    public void Handle(ChatMember member, ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return;
        }

        if (message[0] != (byte)'/')
        {
            Say(member, message);
            return;
        }

        if (message.Length > 1 && message[1] == (byte)'/')
        {
            Say(member, message[1..]);
            return;
        }

        // Commands are rare next to messages: decoding them to a string costs nothing that matters.
        var text = ChatText.Clean(message);
        var space = text.IndexOf(' ');
        var verb = space < 0 ? text : text[..space];
        var rest = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        switch (verb.ToLowerInvariant())
        {
            case "/nick":
                Nick(member, rest);
                break;
            case "/who":
                room.Reply(member, room.Who());
                break;
            case "/msg":
                Whisper(member, rest);
                break;
            case "/me":
                if (rest.Length == 0)
                {
                    room.Reply(member, "! error: usage: /me action");
                }
                else
                {
                    room.Say($"* {member.Name} ", System.Text.Encoding.UTF8.GetBytes(rest), Except(member));
                }

                break;
            case "/quit":
                member.LeaveReason = rest.Length == 0 ? "quit" : $"quit: {QuitReason(rest)}";
                member.Session.Close(DisconnectReason.ClosedByService);
                break;
            case "/help":
                foreach (var line in HelpLines)
                {
                    room.Reply(member, line);
                }

                break;
            default:
                room.Reply(member, $"! error: unknown command {verb}; /help lists the commands");
                break;
        }
    }

    private void Say(ChatMember member, ReadOnlySpan<byte> text) => room.Say($"<{member.Name}> ", text, Except(member));

    private ChatMember? Except(ChatMember member) => room.Options.EchoSender ? null : member;

    private void Nick(ChatMember member, string name)
    {
        var old = member.Name;
        if ((ChatNames.Validate(name) ?? room.Rename(member, name)) is { } refused)
        {
            if (ChatLog.MayComplain(logger, member, LogLevel.Debug))
            {
                ChatLog.NameRefused(logger, member.Session.Id, member.Session.RemoteEndPoint, member.Name, name, refused);
            }

            room.Reply(member, $"! error: {refused}");
            return;
        }

        ChatLog.Renamed(logger, member.Session.Id, old, name);
    }

    private void Whisper(ChatMember member, string rest)
    {
        var space = rest.IndexOf(' ');
        if (space <= 0 || rest[(space + 1)..].Trim().Length == 0)
        {
            room.Reply(member, "! error: usage: /msg NAME text");
            return;
        }

        var to = rest[..space];
        if (!room.Whisper(member, to, rest[(space + 1)..].Trim()))
        {
            room.Reply(member, $"! error: nobody here is called {to}");
        }
    }

    /// <summary>
    /// The member's words inside a server notice: spaces collapsed and at most 32 characters, so the notice stays
    /// within 80 columns and cannot wrap a line of its own ("-!- server shutting down") onto the next row.
    /// </summary>
    private static string QuitReason(string why)
    {
        var words = string.Join(' ', why.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        var end = 0;
        var count = 0;
        foreach (var rune in words.EnumerateRunes())
        {
            if (++count > MaxQuitReason)
            {
                return words[..end] + "...";
            }

            end += rune.Utf16SequenceLength;
        }

        return words;
    }
}
