using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Wirekit.Engines;
using Wirekit.Framing;

namespace Wirekit.Chat;

/// <summary>
/// The chat as an <see cref="ISessionService"/>: frames each session's bytes into messages, applies the flood rules,
/// and turns messages and commands into room events. Runs unchanged on every engine.
/// </summary>
public sealed partial class ChatService : ISessionService
{
    private readonly ChatCommands _commands;
    private readonly ChatPassword? _password;
    private readonly ILogger _logger;

    internal ChatService(ChatRoom room, ILogger logger)
    {
        Room = room;
        _logger = logger;
        _commands = new ChatCommands(room, logger);
        _password = PasswordOf(room.Options);
    }

    internal ChatRoom Room { get; }

    public ReadOnlySpan<byte> RefusalNotice => ChatWording.ServerFull;

    public ReadOnlySpan<byte> RefusalNoticeFor(RefusalReason reason) => ChatWording.Refused(reason);

    /// <summary>A member is established by its first complete line (<see cref="ServerOptions.HandshakeTimeout"/>).</summary>
    bool IServerService.MarksEstablished => true;

    public void OnConnected(ISession session)
    {
        var member = new ChatMember(session, NameOf(session), Room.Options);
        session.State = member;
        if (_password is null)
        {
            Admit(member);
        }
    }

    /// <summary>Hands the newcomer to the room, which welcomes it, or refuses it (a certificate name already here) and closes it.</summary>
    private void Admit(ChatMember member)
    {
        var session = member.Session;
        if (!Room.Admit(member))
        {
            ChatLog.NameRefused(_logger, session.Id, session.RemoteEndPoint, member.Name, member.Name, ChatWording.Explain(member.Name, NameRefusal.Taken));
            member.Leave(LeaveReason.Refused);
            return;
        }

        member.Admitted = true;
        ChatLog.Joined(_logger, session.Id, session.RemoteEndPoint, member.Name);
    }

    public void OnReceived(ISession session, ReadOnlySpan<byte> data)
    {
        if (session.State is not ChatMember member)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        member.Touch(now);
        while (!member.IsLeaving)
        {
            var status = member.Framer.TryRead(ref data, out var message, out var terminator);
            if (status == OperationStatus.NeedMoreData)
            {
                return;
            }

            if (status == OperationStatus.Done)
            {
                session.MarkEstablished();
            }

            member.ChooseStyleOnce(terminator);
            if (!member.Admitted)
            {
                // Only a room with a password leaves a live newcomer unadmitted: this is its first line.
                if (_password is null || !AdmitsWithPassword(member, _password, status, message))
                {
                    return;
                }

                continue;
            }

            var tooLong = status == OperationStatus.InvalidData;
            switch (tooLong ? member.Flood.CheckUnread(now) : member.Flood.Check(message, now))
            {
                case FloodVerdict.Warn:
                    if (ChatLog.MayComplain(_logger, member, LogLevel.Information))
                    {
                        ChatLog.FloodWarned(_logger, session.Id, session.RemoteEndPoint, member.Name);
                    }

                    Room.Reply(member, ChatWording.FloodWarning);
                    continue;
                case FloodVerdict.Disconnect:
                    ChatLog.Flooding(_logger, session.Id, session.RemoteEndPoint, member.Name);
                    Room.Metrics.DroppedFlooding();
                    member.Leave(LeaveReason.Flooding);
                    return;
            }

            // The room waits for a newcomer's first message: a /nick names its join, anything else announces it now.
            if (!member.Announced && (tooLong || !ChatCommands.IsNick(message)))
            {
                Room.Announce(member);
            }

            if (tooLong)
            {
                if (ChatLog.MayComplain(_logger, member, LogLevel.Information))
                {
                    ChatLog.MessageTooLong(_logger, session.Id, session.RemoteEndPoint, member.Name, Room.Options.MaxMessageBytes);
                }

                Room.Reply(member, ChatWording.MessageTooLong(Room.Options.MaxMessageBytes));
                continue;
            }

            _commands.Handle(member, message);
        }
    }

    /// <summary>The client certificate's CN when the room takes names from certificates and the CN is a valid name.</summary>
    private string NameOf(ISession session)
        => Room.Options.NameFromCertificate && session.PeerCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } name
           && ChatNames.Check(name) is null
            ? name
            : ChatNames.Default(session.Id);

    public void OnDisconnected(ISession session, DisconnectReason reason)
    {
        if (session.State is not ChatMember { Admitted: true } member)
        {
            return;
        }

        var why = LeaveReason.Of(reason, member.ClosedBecause);
        Room.Leave(member, why);
        ChatLog.ComplaintsLeftOut(_logger, member);
        ChatLog.Left(_logger, session.Id, session.RemoteEndPoint, member.Name, ChatWording.Describe(why));
    }
}
