using System.Buffers;
using Microsoft.Extensions.Logging;
using Wirekit.Access;
using Wirekit.Engines;

namespace Wirekit.Chat;

/// <summary>
/// A room with a password (<see cref="ChatOptions.Password"/>): a newcomer is handed to the room only after its first
/// line passes, so before that it hears nothing (no welcome, no join notice) and can do nothing (no /nick); with a
/// backplane its name is not even claimed. Any other first line is refused with one error line and the connection
/// closed, counted and logged once per address per minute (a guesser in a loop writes a line a minute).
/// </summary>
public sealed partial class ChatService
{
    private readonly AddressLogThrottle _passwordRefusals = new(TimeSpan.FromMinutes(1));

    private static ChatPassword? PasswordOf(ChatOptions options)
        => options.Password is { } secret
            ? new ChatPassword(secret.Length > 0 ? secret : throw new ArgumentException("a chat password cannot be empty", nameof(options)))
            : null;

    /// <summary>
    /// Judges the first line of a newcomer awaiting the password: admits it (true: go on with its next line) or
    /// refuses and closes it (false). <paramref name="status"/> is the framer's: a line too long to be read is no password.
    /// </summary>
    private bool AdmitsWithPassword(ChatMember member, ChatPassword password, OperationStatus status, ReadOnlySpan<byte> line)
    {
        var verdict = status == OperationStatus.Done ? password.Check(line) : PasswordVerdict.Missing;
        if (verdict == PasswordVerdict.Accepted)
        {
            Admit(member);
            return !member.IsLeaving;
        }

        Room.Metrics.RefusedPassword();
        var session = member.Session;
        if (_logger.IsEnabled(LogLevel.Warning) && _passwordRefusals.TryPass(session.RemoteEndPoint.Address, out var suppressed))
        {
            ChatLog.PasswordRefused(_logger, session.Id, session.RemoteEndPoint, verdict == PasswordVerdict.Wrong ? "wrong chat password" : "no /pass as its first line", suppressed);
        }

        Room.Reply(member, verdict == PasswordVerdict.Wrong ? ChatWording.WrongPassword : ChatWording.PasswordRequired);
        member.Leave(LeaveReason.Refused);
        return false;
    }
}
