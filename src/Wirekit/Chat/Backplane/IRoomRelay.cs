namespace Wirekit.Chat.Backplane;

/// <summary>What the room asks of its backplane node (<see cref="BackplaneNode"/>); the room calls it under its lock.</summary>
internal interface IRoomRelay
{
    long NodeId { get; }

    string NodeName { get; }

    /// <summary>
    /// Publishes one of the room's events. It comes back to <see cref="ChatRoom.Apply"/> in the channel's order, or,
    /// when the backplane is away or its queue is full, is applied at once for this server's members only.
    /// </summary>
    void Submit(BackplaneKind kind, ChatMember? member, string? name, ReadOnlySpan<byte> text);

    /// <summary>Publishes this node's members, for a node that has just said hello.</summary>
    void PublishRoster(IReadOnlyList<(long Id, bool Listed, string Name)> members);

    /// <summary>This node was declared lost by another: it says hello again, so the others learn its members anew.</summary>
    void Rejoin();
}
