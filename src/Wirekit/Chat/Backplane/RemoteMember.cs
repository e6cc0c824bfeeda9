namespace Wirekit.Chat.Backplane;

/// <summary>A member of another node, as the channel's events describe it; touched only under the room's lock.</summary>
internal sealed class RemoteMember(long node, string nodeName, long id, string name) : RoomMember(name)
{
    public long Node { get; } = node;

    public string NodeName { get; } = nodeName;

    public long Id { get; } = id;

    /// <summary>Its join was announced: it is in <c>/who</c>, and its leave is announced.</summary>
    public bool Listed { get; set; }
}
