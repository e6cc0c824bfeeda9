namespace Wirekit.Chat;

/// <summary>The rules for a chat name: short, printable in any terminal, and never mistaken for a default name.</summary>
internal static class ChatNames
{
    public const int MaxLength = 24;

    /// <summary>Nobody may pass for the server, whose own lines no member can produce (docs/chat-protocol.md).</summary>
    private static readonly string ServerSkeleton = NameSkeleton.Of("server");

    /// <summary>The default name of session <paramref name="sessionId"/>.</summary>
    public static string Default(long sessionId) => $"user{sessionId}";

    /// <summary>The key a name is unique by: two names with one skeleton look alike (<see cref="NameSkeleton"/>).</summary>
    public static string Key(string name) => NameSkeleton.Of(name);

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not.</summary>
    public static string? Validate(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return $"a name has 1 to {MaxLength} characters";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return "a name uses only letters, digits, '_', '-' and '.'";
            }
        }

        if (name[0] is '-' or '.')
        {
            return "a name cannot start with '-' or '.'";
        }

        var skeleton = NameSkeleton.Of(name);
        if (skeleton == ServerSkeleton)
        {
            return $"the name {name} is reserved";
        }

        // user<N> is what session N is called until it picks a name; taking it (or a look-alike such as USER1O)
        // would make the next user<N> clash.
        if (IsDefaultSkeleton(skeleton))
        {
            return "user<number> names are reserved for newcomers";
        }

        return null;
    }

    /// <summary>The skeleton of some user&lt;digits&gt;: digits fold to themselves, except 0 and 1, which read as o and l.</summary>
    private static bool IsDefaultSkeleton(string skeleton)
        => skeleton.Length > 4 && skeleton.StartsWith("user", StringComparison.Ordinal) && skeleton.AsSpan(4).IndexOfAnyExcept("ol23456789") < 0;
}
