namespace Wirekit.Chat;

/// <summary>The rules for a chat name: short, printable in any terminal, and never mistaken for a default name.</summary>
internal static class ChatNames
{
    public const int MaxLength = 24;

    /// <summary>The default name of session <paramref name="sessionId"/>.</summary>
    public static string Default(long sessionId) => $"user{sessionId}";

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

        // user<N> is what session N is called until it picks a name; taking it would make the next user<N> clash.
        if (name.Length > 4 && name.StartsWith("user", StringComparison.OrdinalIgnoreCase) && name.AsSpan(4).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return "user<number> names are reserved for newcomers";
        }

        return null;
    }
}
