using System.Text;
using Microsoft.Extensions.Logging;

namespace Wirekit.Chat;

/// <summary>Turns one framed message into a room event: plain text is said to the room, <c>/command</c> lines are run.</summary>
internal sealed class ChatCommands(ChatRoom room, ILogger logger)
{
    public void Handle(ChatMember member, ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return;
        }

        if (message[0] != (byte)'/')
        {
            room.Say(member, message);
            return;
        }

        if (message.Length > 1 && message[1] == (byte)'/')
        {
            room.Say(member, message[1..]);
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
                room.Who(member);
                break;
            case "/msg":
                Whisper(member, rest);
                break;
            case "/me":
                // The bytes after "/me ", not the decoded rest: the room cleans them into the line without a copy.
                var action = message[Math.Min(message.Length, "/me".Length)..].Trim(" \t"u8);
                if (action.IsEmpty)
                {
                    room.Reply(member, ChatWording.Usage("/me action"));
                }
                else
                {
                    room.Act(member, action);
                }

                break;
            case "/quit":
                member.Leave(LeaveReason.Quit(rest));
                break;
            case "/help":
                room.Reply(member, ChatWording.Help);
                break;
            default:
                room.Reply(member, ChatWording.UnknownCommand(verb));
                break;
        }
    }

    /// <summary>True for <c>/nick</c> and <c>/nick NAME</c> (any case), the one command a newcomer may send before its join is announced.</summary>
    public static bool IsNick(ReadOnlySpan<byte> message)
        => message.Length >= 5 && Ascii.EqualsIgnoreCase(message[..5], "/nick"u8) && (message.Length == 5 || message[5] == (byte)' ');

    private void Nick(ChatMember member, string name)
    {
        if (room.Options.NameFromCertificate)
        {
            room.Reply(member, ChatWording.NameFromCertificate);
            return;
        }

        var old = member.Name;
        if ((ChatNames.Check(name) ?? room.Rename(member, name)) is { } refused)
        {
            if (ChatLog.MayComplain(logger, member, LogLevel.Debug))
            {
                ChatLog.NameRefused(logger, member.Session.Id, member.Session.RemoteEndPoint, member.Name, name, ChatWording.Explain(name, refused));
            }

            room.Reply(member, ChatWording.NameRefused(name, refused));
            return;
        }

        ChatLog.Renamed(logger, member.Session.Id, old, name);
    }

    private void Whisper(ChatMember member, string rest)
    {
        var space = rest.IndexOf(' ');
        if (space <= 0 || rest[(space + 1)..].Trim().Length == 0)
        {
            room.Reply(member, ChatWording.Usage("/msg NAME text"));
            return;
        }

        var to = rest[..space];
        if (!room.TryWhisper(member, to, rest[(space + 1)..].Trim()))
        {
            room.Reply(member, ChatWording.NoSuchMember(to));
        }
    }
}
