namespace Wirekit.Chat;

/// <summary>
/// Someone in the room, on this server (<see cref="ChatMember"/>) or, with a backplane, on another
/// (<see cref="Backplane.RemoteMember"/>): what the name index and <c>/who</c> need of either.
/// </summary>
internal abstract class RoomMember
{
    protected RoomMember(string name) => Name = name;

    /// <summary>Written under the room's lock.</summary>
    public string Name { get; set; }
}
