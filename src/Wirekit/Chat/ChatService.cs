using System.Buffers;
using System.Diagnostics;
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
    private readonly ILogger logger;

    internal ChatService(ChatRoom room, ILogger logger)
    {
        Room = room;
        this.logger = logger;
        _commands = new ChatCommands(room, logger);
    }

    internal ChatRoom Room { get; }

    public ReadOnlySpan<byte> RefusalNotice => "* server full; try again later\n"u8;

    public void OnConnected(ISession session)
    {
        var member = new ChatMember(session, ChatNames.Default(session.Id), Room.Options);
        session.State = member;
        Room.Join(member);
        ChatLog.Joined(logger, session.Id, session.RemoteEndPoint, member.Name);
    }

    public void OnReceived(ISession session, ReadOnlySpan<byte> data)
    {
        if (session.State is not ChatMember member)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        member.Touch(now);
        while (member.LeaveReason is null)
        {
            switch (member.Framer.TryRead(ref data, out var message, out var terminator))
            {
                case OperationStatus.NeedMoreData:
                    return;
                case OperationStatus.InvalidData:
                    member.ChooseStyleOnce(terminator);
                    Room.Reply(member, $"! error: message longer than {Room.Options.MaxMessageBytes} bytes; dropped");
                    continue;
            }

            member.ChooseStyleOnce(terminator);
            switch (member.Flood.Check(message, now))
            {
                case FloodVerdict.Warn:
                    Room.Reply(member, "! warning: flooding (too fast or repeating yourself); the next time you are disconnected");
                    continue;
                case FloodVerdict.Disconnect:
                    ChatLog.Flooding(logger, session.Id, session.RemoteEndPoint, member.Name);
                    member.LeaveReason = "flooding";
                    session.Close(DisconnectReason.ClosedByService);
                    return;
            }

            _commands.Handle(member, message);
        }
    }

    public void OnDisconnected(ISession session, DisconnectReason reason)
    {
        if (session.State is not ChatMember member)
        {
            return;
        }

        var why = DescribeLeave(reason, member.LeaveReason);
        Room.Leave(member, why);
        ChatLog.Left(logger, session.Id, session.RemoteEndPoint, member.Name, why);
    }

    private static string DescribeLeave(DisconnectReason reason, string? serviceReason) => reason switch
    {
        DisconnectReason.ClosedByService => serviceReason ?? "closed by server",
        DisconnectReason.PeerClosed => "closed",
        DisconnectReason.PeerReset => "connection reset",
        DisconnectReason.Timeout => "timeout",
        DisconnectReason.SlowConsumer => "slow consumer",
        DisconnectReason.ServerShutdown => "server shutting down",
        _ => "error",
    };
}
