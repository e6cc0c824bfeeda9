using System.Buffers.Binary;
using System.Text;
using Wirekit.Chat.Backplane;

namespace Wirekit.Chat;

/// <summary>
/// The room with a backplane (docs/chat-protocol.md, "Scale-out"): members' actions are submitted to the
/// <see cref="Relay"/>, and the room changes only in <see cref="Apply"/>, called with each event in the channel's
/// order, the events of this server's own members included. Every node holds the same members and names because
/// it applies the same events in the same order.
/// </summary>
internal sealed partial class ChatRoom
{
    // This server's members by session id, from their claim on: the channel's events name them so.
    private readonly Dictionary<long, ChatMember> _local = [];
    private readonly Dictionary<(long Node, long Id), RemoteMember> _remote = [];

    /// <summary>One event from the channel (or this server's own, applied locally); events it cannot use are ignored.</summary>
    public void Apply(in BackplaneEnvelope e, IRoomRelay relay)
    {
        lock (_lock)
        {
            var mine = e.Node == relay.NodeId;
            switch (e.Kind)
            {
                case BackplaneKind.Hello:
                    relay.PublishRoster(RosterLocked());
                    break;
                case BackplaneKind.Roster when !mine:
                    ApplyRosterLocked(e);
                    break;
                case BackplaneKind.NodeLost when e.Member == relay.NodeId:
                    relay.Rejoin();
                    break;
                case BackplaneKind.NodeLost:
                    RemoveNodeLocked(e.Member, ChatWording.NodeLost(Encoding.UTF8.GetString(e.Name)));
                    break;
                case BackplaneKind.Bye when !mine:
                    RemoveNodeLocked(e.Node, ChatWording.Describe(new LeaveReason(LeaveKind.ServerShutdown)));
                    break;
                case BackplaneKind.Claim:
                    ApplyClaimLocked(e, mine, relay);
                    break;
                case BackplaneKind.Joined:
                    if (Find(e, mine) is { } joining && !IsListed(joining))
                    {
                        ListLocked(joining);
                    }

                    break;
                case BackplaneKind.Rename:
                    ApplyRenameLocked(e, mine);
                    break;
                case BackplaneKind.Say or BackplaneKind.Act:
                    ApplyWordsLocked(e, mine);
                    break;
                case BackplaneKind.Whisper:
                    ApplyWhisperLocked(e, mine);
                    break;
                case BackplaneKind.Left:
                    if (Find(e, mine) is { } leaving)
                    {
                        var listed = IsListed(leaving);
                        ForgetLocked(leaving);
                        if (listed)
                        {
                            Broadcast(ChatWording.Left(leaving.Name, ReasonFrom(e.Text)));
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The backplane is back: other nodes' members are forgotten, without a word; their rosters bring back who is there.</summary>
    public void ForgetOtherNodes()
    {
        lock (_lock)
        {
            foreach (var member in _remote.Values)
            {
                Unindex(member);
            }

            _remote.Clear();
        }
    }

    private void LeaveThroughRelay(IRoomRelay relay, ChatMember member, LeaveReason why)
    {
        _arriving.Remove(member);
        StopWaiting(member);
        member.InRoom = false;
        member.Departed = true;
        if (_shuttingDown)
        {
            // The node's Bye tells the other nodes; this room says nothing more.
            ForgetLocked(member);
            return;
        }

        relay.Submit(BackplaneKind.Left, member, member.Name, Encoding.UTF8.GetBytes(ChatWording.Describe(why)));
    }

    private void WhoAcrossNodes(ChatMember asker, IRoomRelay relay)
    {
        var names = _members.Select(m => (m.Name, Node: relay.NodeName))
            .Concat(_remote.Values.Where(m => m.Listed).Select(m => (m.Name, Node: m.NodeName)))
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Select(m => $"{m.Name} ({m.Node})")
            .ToList();
        SendTo(asker, ChatWording.Who(names.Count, names));
    }

    private void ApplyClaimLocked(in BackplaneEnvelope e, bool mine, IRoomRelay relay)
    {
        var name = Encoding.UTF8.GetString(e.Name);
        var member = Find(e, mine);
        var check = ChatNames.Check(name);
        // A claim is of a default name, or of a certificate's name from a node that names its members so (its own
        // option: this node may be started without it, as a plaintext node of the same room is).
        var certificateName = check is null && (!mine || Options.NameFromCertificate);
        if ((check != NameRefusal.DefaultName && !certificateName) || (mine ? member is null : member is not null))
        {
            return;
        }

        if (certificateName)
        {
            // Two nodes admitted one certificate name before either heard of the other: the claim first in the
            // order keeps it; the later member cannot take another (/nick is off), so its node refuses and closes it.
            if (_byName.TryGetValue(ChatNames.Key(name), out var holder) && holder != member)
            {
                if (mine && member is ChatMember twin)
                {
                    SendTo(twin, ChatWording.NameRefused(name, NameRefusal.Taken));
                    twin.Leave(LeaveReason.Refused);
                }

                return;
            }
        }
        else
        {
            // Two nodes' first newcomers both claim user1: the later claim gets another default name, the same one
            // on every node (they hold the same names at this point of the order), so no claim needs a second round trip.
            for (var attempt = 0; _byName.TryGetValue(ChatNames.Key(name), out var holder) && holder != member; attempt++)
            {
                name = ChatNames.Default(e.Member) + (((ulong)e.Node + (ulong)attempt) % 9000 + 1000);
            }
        }

        if (mine)
        {
            if (member is ChatMember local && !(_byName.TryGetValue(ChatNames.Key(local.Name), out var held) && held == local))
            {
                local.Name = name;
                if (local.Departed)
                {
                    _byName[ChatNames.Key(name)] = local;
                    return;
                }

                AdmitLocked(local);
            }

            return;
        }

        var remote = new RemoteMember(e.Node, Encoding.UTF8.GetString(e.NodeName), e.Member, name);
        _remote[(e.Node, e.Member)] = remote;
        _byName[ChatNames.Key(name)] = remote;
    }

    private void ApplyRenameLocked(in BackplaneEnvelope e, bool mine)
    {
        var name = Encoding.UTF8.GetString(e.Name);
        if (Find(e, mine) is not { } member || ChatNames.Check(name) is not null)
        {
            return;
        }

        var key = ChatNames.Key(name);
        if (_byName.TryGetValue(key, out var holder) && holder != member)
        {
            if (member is ChatMember local)
            {
                SendTo(local, ChatWording.NameRefused(name, NameRefusal.Taken));
            }

            return;
        }

        var old = member.Name;
        Unindex(member);
        member.Name = name;
        _byName[key] = member;
        if (!IsListed(member))
        {
            // Its first message named it (a /nick before its join was announced): the room meets it under that name.
            ListLocked(member);
        }
        else
        {
            Broadcast(ChatWording.Renamed(old, name));
        }
    }

    private void ApplyWordsLocked(in BackplaneEnvelope e, bool mine)
    {
        var from = Find(e, mine);
        var name = from?.Name ?? Encoding.UTF8.GetString(e.Name);
        if (from is null && ChatNames.Check(name) is not (null or NameRefusal.DefaultName))
        {
            return;
        }

        var line = new ChatLine(ChatWording.MaxPrefixLength(name) + e.Text.Length);
        try
        {
            if (e.Kind == BackplaneKind.Act)
            {
                ChatWording.ActionBy(ref line, name);
            }
            else
            {
                ChatWording.MessageFrom(ref line, name);
            }

            line.AppendText(e.Text);
            BroadcastLine(line, except: Options.EchoSender ? null : from as ChatMember);
        }
        finally
        {
            line.Dispose();
        }
    }

    private void ApplyWhisperLocked(in BackplaneEnvelope e, bool mine)
    {
        var to = Encoding.UTF8.GetString(e.Name);
        var text = ChatText.Clean(e.Text);
        var from = Find(e, mine);
        _byName.TryGetValue(ChatNames.Key(to), out var target);
        if (target is ChatMember local && from is not null)
        {
            SendTo(local, ChatWording.WhisperFrom(from.Name, text));
        }

        if (from is ChatMember sender)
        {
            SendTo(sender, target is null ? ChatWording.NoSuchMember(to) : ChatWording.WhisperEcho(target.Name, text));
        }
    }

    private void ApplyRosterLocked(in BackplaneEnvelope e)
    {
        var nodeName = Encoding.UTF8.GetString(e.NodeName);
        var rest = e.Text;
        while (rest.Length >= 10 && rest.Length >= 10 + rest[9])
        {
            var id = BinaryPrimitives.ReadInt64BigEndian(rest);
            var listed = rest[8] != 0;
            var name = Encoding.UTF8.GetString(rest.Slice(10, rest[9]));
            rest = rest[(10 + rest[9])..];
            var key = ChatNames.Key(name);
            if (_remote.ContainsKey((e.Node, id)) || _byName.ContainsKey(key) || ChatNames.Check(name) is not (null or NameRefusal.DefaultName))
            {
                continue;
            }

            var member = new RemoteMember(e.Node, nodeName, id, name) { Listed = listed };
            _remote[(e.Node, id)] = member;
            _byName[key] = member;
        }
    }

    private List<(long Id, bool Listed, string Name)> RosterLocked()
        => [.. _local.Values.Where(m => !m.Departed && _byName.TryGetValue(ChatNames.Key(m.Name), out var holder) && holder == m)
            .Select(m => (m.Session.Id, m.InRoom, m.Name))];

    private void RemoveNodeLocked(long node, string why)
    {
        foreach (var member in _remote.Values.Where(m => m.Node == node).ToList())
        {
            ForgetLocked(member);
            if (member.Listed)
            {
                Broadcast(ChatWording.Left(member.Name, why));
            }
        }
    }

    // Departed members too: every node must change its names alike for the same event; only what is sent differs.
    private RoomMember? Find(in BackplaneEnvelope e, bool mine)
        => mine ? _local.GetValueOrDefault(e.Member) : _remote.GetValueOrDefault((e.Node, e.Member));

    /// <summary>A leave reason from another node, cleaned and cut as this node's own are (<see cref="LeaveReason.MaxQuitDetail"/>).</summary>
    private static string ReasonFrom(ReadOnlySpan<byte> text)
    {
        var reason = ChatText.Clean(text);
        const int max = LeaveReason.MaxQuitDetail + 8;
        return reason.Length <= max ? reason : reason[..max] + "...";
    }

    private bool IsListed(RoomMember member) => member is ChatMember local ? _members.Contains(local) : ((RemoteMember)member).Listed;

    private void ListLocked(RoomMember member)
    {
        if (member is ChatMember local)
        {
            _arriving.Remove(local);
            StopWaiting(local);
            if (_shuttingDown || local.Departed)
            {
                return;
            }

            local.InRoom = true;
            local.Announced = true;
            _members.Add(local);
        }
        else
        {
            ((RemoteMember)member).Listed = true;
        }

        Broadcast(ChatWording.Joined(member.Name));
    }

    private void ForgetLocked(RoomMember member)
    {
        Unindex(member);
        if (member is ChatMember local)
        {
            _local.Remove(local.Session.Id);
            _members.Remove(local);
            _arriving.Remove(local);
        }
        else if (member is RemoteMember remote)
        {
            _remote.Remove((remote.Node, remote.Id));
        }
    }

    private void Unindex(RoomMember member)
    {
        var key = ChatNames.Key(member.Name);
        if (_byName.TryGetValue(key, out var holder) && holder == member)
        {
            _byName.Remove(key);
        }
    }

    private static bool IsDefaultName(string name) => ChatNames.Check(name) == NameRefusal.DefaultName;
}
