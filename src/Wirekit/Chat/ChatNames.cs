namespace Wirekit.Chat;

/// <summary>Why a name cannot be a member's; <see cref="ChatWording.Explain"/> says it to the member.</summary>
internal enum NameRefusal
{
    Length,
    Characters,
    Start,

    /// <summary>Looks like <c>server</c>: nobody may pass for the server.</summary>
    Reserved,

    /// <summary>Looks like some <c>user&lt;N&gt;</c>, the name a newcomer gets.</summary>
    DefaultName,

    /// <summary>Another member holds a name that looks the same.</summary>
    Taken,

    /// <summary>The member already has exactly this name.</summary>
    Unchanged,
}

/// <summary>The rules for a chat name: short, printable in any terminal, and never mistaken for the server, a default name or another member's.</summary>
internal static class ChatNames
{
    public const int MaxLength = 24;

    private static readonly string ServerSkeleton = NameSkeleton.Of("server");

    /// <summary>The default name of session <paramref name="sessionId"/>.</summary>
    public static string Default(long sessionId) => $"user{sessionId}";

    /// <summary>The key a name is unique by: two names with one skeleton look alike (<see cref="NameSkeleton"/>).</summary>
    public static string Key(string name) => NameSkeleton.Of(name);

    /// <summary>Null when <paramref name="name"/> may be taken by anyone; whether it is free is the room's to say.</summary>
    public static NameRefusal? Check(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return NameRefusal.Length;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return NameRefusal.Characters;
            }
        }

        if (name[0] is '-' or '.')
        {
            return NameRefusal.Start;
        }

        var skeleton = NameSkeleton.Of(name);
        if (skeleton == ServerSkeleton)
        {
            return NameRefusal.Reserved;
        }

        // user<N> is what session N is called until it picks a name; taking it (or a look-alike such as USER1O)
        // would make the next user<N> clash.
        return IsDefaultSkeleton(skeleton) ? NameRefusal.DefaultName : null;
    }

    /// <summary>The skeleton of some user&lt;digits&gt;: digits fold to themselves, except 0 and 1, which read as o and l.</summary>
    private static bool IsDefaultSkeleton(string skeleton)
        => skeleton.Length > 4 && skeleton.StartsWith("user", StringComparison.Ordinal) && skeleton.AsSpan(4).IndexOfAnyExcept("ol23456789") < 0;
}
