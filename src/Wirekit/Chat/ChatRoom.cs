using Wirekit.Chat.Backplane;
using Wirekit.Metrics;

namespace Wirekit.Chat;

/// <summary>
/// The members and the one total order of everything said. Every room event (message, join, leave, rename) queues
/// its bytes to every member while holding one lock, so all members see events in the same order and each sender's
/// in the order sent. That is cheap because <see cref="Engines.ISession.Send"/> only copies into the member's
/// bounded queue: a member that does not read overflows its own queue and is dropped, instead of stalling the
/// broadcast as the seed's send-to-each-in-turn loop did. The words of every line come from <see cref="ChatWording"/>.
/// </summary>
internal sealed partial class ChatRoom(ChatOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<ChatMember> _members = [];

    // Welcomed, not yet announced (ChatOptions.JoinGrace): not listed, sent nothing from the room.
    private readonly HashSet<ChatMember> _arriving = [];

    // Keyed by skeleton (ChatNames.Key): names that look alike, case included, are one name.
    private readonly Dictionary<string, RoomMember> _byName = new(StringComparer.Ordinal);
    private readonly string? _motd = options.Motd is { } motd ? ChatWording.Motd(ChatText.Clean(motd)) : null;
    private bool _shuttingDown;

    public ChatOptions Options { get; } = options;

    /// <summary>
    /// With a backplane, the node that orders the room's events through the channel (ChatRoom.Backplane.cs); null
    /// for a room of one server, where the lock alone orders them. Set before the first session arrives.
    /// </summary>
    public IRoomRelay? Relay { get; set; }

    /// <summary>Where deliveries and drops are counted; set when the room's server starts.</summary>
    public ChatMetrics Metrics { get; set; } = ChatMetrics.None;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _members.Count;
            }
        }
    }

    public ChatMember[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _members];
        }
    }

    /// <summary>
    /// Welcomes a newcomer. Its join is announced when its first message arrives (a <c>/nick NAME</c> first names
    /// the notice) or when <see cref="ChatOptions.JoinGrace"/> passes; until then it is sent nothing from the room.
    /// False, after an error line to it, when its name comes from its certificate and a member here holds it already:
    /// it cannot take another (/nick is off), so the caller closes it.
    /// </summary>
    public bool Admit(ChatMember member)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                SendTo(member, ChatWording.ShuttingDown);
                return true;
            }

            if (Options.NameFromCertificate && _byName.ContainsKey(ChatNames.Key(member.Name)))
            {
                SendTo(member, ChatWording.NameRefused(member.Name, NameRefusal.Taken));
                return false;
            }

            if (Relay is { } relay)
            {
                // Welcomed once its default name came back from the channel unclaimed by anyone before it.
                _local[member.Session.Id] = member;
                relay.Submit(BackplaneKind.Claim, member, member.Name, default);
                return true;
            }

            AdmitLocked(member);
            return true;
        }
    }

    private void AdmitLocked(ChatMember member)
    {
        SendTo(member, ChatWording.Welcome(member.Name));
        if (_motd is not null)
        {
            SendTo(member, _motd);
        }

        _byName[ChatNames.Key(member.Name)] = member;
        _arriving.Add(member);
        if (Options.JoinGrace <= TimeSpan.Zero)
        {
            RequestAnnounceLocked(member);
            return;
        }

        // Under a handshake deadline only a first line announces a newcomer: the silent ones it closes stay unannounced.
        member.ArrivalTimer = new Timer(_ => AnnounceUnlessAwaitingHandshake(member), null, Options.JoinGrace, Timeout.InfiniteTimeSpan);
    }

    private void AnnounceUnlessAwaitingHandshake(ChatMember member)
    {
        if (!member.Session.AwaitingHandshake)
        {
            Announce(member);
        }
    }

    /// <summary>Announces the member's join if the room still waits for it (its first message came, or the grace passed).</summary>
    public void Announce(ChatMember member)
    {
        lock (_lock)
        {
            RequestAnnounceLocked(member);
        }
    }

    private void RequestAnnounceLocked(ChatMember member)
    {
        if (Relay is not { } relay)
        {
            if (_arriving.Remove(member))
            {
                AnnounceLocked(member);
            }

            return;
        }

        // With a backplane the room meets it when the join comes back from the channel; asked for once, perhaps
        // before its claim came back (its first message was quicker): the join follows the claim in the order anyway.
        if (!member.Announced)
        {
            _arriving.Remove(member);
            StopWaiting(member);
            member.Announced = true;
            relay.Submit(BackplaneKind.Joined, member, member.Name, default);
        }
    }

    /// <summary>Removes the member and tells the others why; nothing is announced while the server shuts down.</summary>
    public void Leave(ChatMember member, LeaveReason why)
    {
        lock (_lock)
        {
            if (Relay is { } relay)
            {
                LeaveThroughRelay(relay, member, why);
                return;
            }

            var wasListed = _members.Remove(member);
            _arriving.Remove(member);
            StopWaiting(member);
            member.InRoom = false;
            if (_byName.TryGetValue(ChatNames.Key(member.Name), out var holder) && holder == member)
            {
                _byName.Remove(ChatNames.Key(member.Name));
            }

            // A member that left before its join was announced leaves unannounced too.
            if (wasListed && !_shuttingDown)
            {
                Broadcast(ChatWording.Left(member.Name, why));
            }
        }
    }

    /// <summary>Broadcasts <c>&lt;name&gt; text</c>, text being the member's bytes (cleaned by <see cref="ChatLine.AppendText"/>).</summary>
    public void Say(ChatMember from, ReadOnlySpan<byte> text) => Broadcast(from, text, action: false);

    /// <summary>Broadcasts <c>* name action</c> (<c>/me</c>).</summary>
    public void Act(ChatMember from, ReadOnlySpan<byte> action) => Broadcast(from, action, action: true);

    /// <summary>Renames under the lock, so uniqueness holds and everyone sees the rename in order; null when done.</summary>
    public NameRefusal? Rename(ChatMember member, string name)
    {
        var key = ChatNames.Key(name);
        lock (_lock)
        {
            if (Relay is { } relay)
            {
                // Taken or not is the channel's order to say: the refusal, if any, comes when the rename comes back.
                if (member.Name == name)
                {
                    return NameRefusal.Unchanged;
                }

                relay.Submit(BackplaneKind.Rename, member, name, default);
                return null;
            }

            if (_byName.TryGetValue(key, out var holder))
            {
                if (holder != member)
                {
                    return NameRefusal.Taken;
                }

                if (holder.Name == name)
                {
                    return NameRefusal.Unchanged;
                }
            }

            var old = member.Name;
            _byName.Remove(ChatNames.Key(old));
            member.Name = name;
            _byName[key] = member;
            if (_arriving.Remove(member))
            {
                // The newcomer's first message named it: the room meets it under that name, with no rename after.
                AnnounceLocked(member);
            }
            else
            {
                Broadcast(ChatWording.Renamed(old, name));
            }

            return null;
        }
    }

    /// <summary>A private message: both ends get a line, in room order. False when nobody has a name that looks like <paramref name="to"/>.</summary>
    public bool TryWhisper(ChatMember from, string to, string text)
    {
        var key = ChatNames.Key(to);
        lock (_lock)
        {
            if (Relay is { } relay)
            {
                // The member who holds the name where the whisper comes back in the order gets it (or the sender hears nobody does).
                relay.Submit(BackplaneKind.Whisper, from, to, System.Text.Encoding.UTF8.GetBytes(text));
                return true;
            }

            if (!_byName.TryGetValue(key, out var found) || found is not ChatMember target)
            {
                return false;
            }

            SendTo(target, ChatWording.WhisperFrom(from.Name, text));
            SendTo(from, ChatWording.WhisperEcho(target.Name, text));
            return true;
        }
    }

    /// <summary>Tells <paramref name="asker"/> who is here, as of this point in the room's order.</summary>
    public void Who(ChatMember asker)
    {
        lock (_lock)
        {
            if (Relay is { } relay)
            {
                WhoAcrossNodes(asker, relay);
                return;
            }

            var names = _members.Select(m => m.Name).Order(StringComparer.OrdinalIgnoreCase);
            SendTo(asker, ChatWording.Who(_members.Count, names));
        }
    }

    /// <summary>A line to one member, ordered with the room's events.</summary>
    public void Reply(ChatMember member, string text)
    {
        lock (_lock)
        {
            SendTo(member, text);
        }
    }

    /// <summary>Several lines to one member, together: no room event comes between them.</summary>
    public void Reply(ChatMember member, IEnumerable<string> lines)
    {
        lock (_lock)
        {
            foreach (var text in lines)
            {
                SendTo(member, text);
            }
        }
    }

    /// <summary>A server notice to this server's members, ordered with the room's events.</summary>
    public void Notify(string text)
    {
        lock (_lock)
        {
            Broadcast(text);
        }
    }

    /// <summary>Tells everyone the server is stopping; later joins and leaves are not announced.</summary>
    public void AnnounceShutdown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            Broadcast(ChatWording.ShuttingDown);
            foreach (var member in _arriving)
            {
                SendTo(member, ChatWording.ShuttingDown);
            }

            _shuttingDown = true;

            // The other nodes let this one's members go at once, instead of waiting for missed heartbeats.
            Relay?.Submit(BackplaneKind.Bye, null, null, default);
        }
    }

    private void AnnounceLocked(ChatMember member)
    {
        StopWaiting(member);
        if (_shuttingDown)
        {
            return;
        }

        member.InRoom = true;
        member.Announced = true;
        _members.Add(member);
        Broadcast(ChatWording.Joined(member.Name));
    }

    private static void StopWaiting(ChatMember member)
    {
        member.ArrivalTimer?.Dispose();
        member.ArrivalTimer = null;
    }

    private void Broadcast(ChatMember from, ReadOnlySpan<byte> text, bool action)
    {
        if (Relay is { } relay)
        {
            relay.Submit(action ? BackplaneKind.Act : BackplaneKind.Say, from, from.Name, text);
            return;
        }

        // Built outside the lock: only the member's own receive callback (this call) renames it, so its name holds.
        var line = new ChatLine(ChatWording.MaxPrefixLength(from.Name) + text.Length);
        try
        {
            if (action)
            {
                ChatWording.ActionBy(ref line, from.Name);
            }
            else
            {
                ChatWording.MessageFrom(ref line, from.Name);
            }

            line.AppendText(text);
            lock (_lock)
            {
                BroadcastLine(line, except: Options.EchoSender ? null : from);
            }
        }
        finally
        {
            line.Dispose();
        }
    }

    private void Broadcast(string text)
    {
        var line = new ChatLine(text.Length * 3);
        try
        {
            line.Append(text);
            BroadcastLine(line, except: null);
        }
        finally
        {
            line.Dispose();
        }
    }

    private void BroadcastLine(in ChatLine line, ChatMember? except)
    {
        foreach (var member in _members)
        {
            if (member == except || !member.InRoom)
            {
                continue;
            }

            if (member.Session.Send(line.Terminated(member.Terminator)))
            {
                Metrics.Delivered();
            }
            else
            {
                // Its queue overflowed: the engine is closing it as a slow consumer; stop feeding it now.
                member.InRoom = false;
                Metrics.DroppedSlowConsumer();
            }
        }
    }

    private static void SendTo(ChatMember member, string text)
    {
        var line = new ChatLine(text.Length * 3);
        try
        {
            line.Append(text);
            member.Session.Send(line.Terminated(member.Terminator));
        }
        finally
        {
            line.Dispose();
        }
    }
}
