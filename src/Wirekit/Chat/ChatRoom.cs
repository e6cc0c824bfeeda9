namespace Wirekit.Chat;

/// <summary>
/// The members and the one total order of everything said. Every room event (message, join, leave, rename) queues
/// its bytes to every member while holding one lock, so all members see events in the same order and each sender's
/// in the order sent. That is cheap because <see cref="Engines.ISession.Send"/> only copies into the member's
/// bounded queue: a member that does not read overflows its own queue and is dropped, instead of stalling the
/// broadcast as the seed's send-to-each-in-turn loop did.
/// </summary>
internal sealed class ChatRoom(ChatOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<ChatMember> _members = [];
    // Keyed by skeleton (ChatNames.Key): names that look alike, case included, are one name.
    private readonly Dictionary<string, ChatMember> _byName = new(StringComparer.Ordinal);
    private bool _shuttingDown;

    public ChatOptions Options { get; } = options;

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

    public void Join(ChatMember member)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                SendTo(member, "-!- server shutting down");
                return;
            }

            SendTo(member, $"-!- welcome, you are {member.Name}; /help lists the commands");
            if (Options.Motd is { } motd)
            {
                SendTo(member, $"-!- motd: {ChatText.Clean(motd)}");
            }

            member.InRoom = true;
            _members.Add(member);
            _byName[ChatNames.Key(member.Name)] = member;
            Broadcast($"-!- {member.Name} joined");
        }
    }

    /// <summary>Removes the member and tells the others why; nothing is announced while the server shuts down.</summary>
    public void Leave(ChatMember member, string reason)
    {
        lock (_lock)
        {
            var wasListed = _members.Remove(member);
            member.InRoom = false;
            if (!wasListed)
            {
                return;
            }

            _byName.Remove(ChatNames.Key(member.Name));
            if (!_shuttingDown)
            {
                Broadcast($"-!- {member.Name} left ({reason})");
            }
        }
    }

    /// <summary>Broadcasts <c>prefix + text + suffix</c>, text being the peer's bytes (cleaned), skipping <paramref name="except"/>.</summary>
    public void Say(string prefix, ReadOnlySpan<byte> text, ChatMember? except)
    {
        var line = new ChatLine(prefix.Length * 3 + text.Length + 8);
        try
        {
            line.Append(prefix);
            line.AppendText(text);
            lock (_lock)
            {
                BroadcastLine(line, except);
            }
        }
        finally
        {
            line.Dispose();
        }
    }

    /// <summary>Renames under the lock, so uniqueness holds and everyone sees the rename in order. Returns an error or null.</summary>
    public string? Rename(ChatMember member, string name)
    {
        var key = ChatNames.Key(name);
        lock (_lock)
        {
            if (_byName.TryGetValue(key, out var holder))
            {
                if (holder != member)
                {
                    return $"the name {name} is taken";
                }

                if (holder.Name == name)
                {
                    return $"you are already {name}";
                }
            }

            var old = member.Name;
            _byName.Remove(ChatNames.Key(old));
            member.Name = name;
            _byName[key] = member;
            Broadcast($"-!- {old} is now known as {name}");
            return null;
        }
    }

    /// <summary>A private message: both ends get a line, in room order. Returns false when nobody has that name.</summary>
    public bool Whisper(ChatMember from, string to, string text)
    {
        var key = ChatNames.Key(to);
        lock (_lock)
        {
            if (!_byName.TryGetValue(key, out var target))
            {
                return false;
            }

            SendTo(target, $"*{from.Name}* {text}");
            SendTo(from, $"-> *{target.Name}* {text}");
            return true;
        }
    }

    public string Who()
    {
        lock (_lock)
        {
            var names = _members.Select(m => m.Name).Order(StringComparer.OrdinalIgnoreCase);
            return $"-!- {_members.Count} online: {string.Join(", ", names)}";
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

    /// <summary>Tells everyone the server is stopping; later joins and leaves are not announced.</summary>
    public void AnnounceShutdown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            Broadcast("-!- server shutting down");
            _shuttingDown = true;
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
            if (member != except && member.InRoom && !member.Session.Send(line.Terminated(member.Terminator)))
            {
                // Its queue overflowed: the engine is closing it as a slow consumer; stop feeding it now.
                member.InRoom = false;
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
