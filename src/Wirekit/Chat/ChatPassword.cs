using System.Security.Cryptography;
using System.Text;

namespace Wirekit.Chat;

/// <summary>What a newcomer's first line says to a room with a password (<see cref="ChatOptions.Password"/>).</summary>
internal enum PasswordVerdict
{
    Accepted,

    /// <summary>The first line is <c>/pass</c> with other words.</summary>
    Wrong,

    /// <summary>The first line is not <c>/pass ...</c> (a message, a /nick, a line too long to read).</summary>
    Missing,
}

/// <summary>
/// The room's password and the one check of a first line against it. The bytes after <c>/pass </c> are compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time a refusal takes does not tell a guesser how many
/// leading bytes were right (the length of the secret is not hidden: it is the file's first line, guess-proof by size).
/// </summary>
internal sealed class ChatPassword
{
    private static ReadOnlySpan<byte> Verb => "/pass"u8;

    private readonly byte[] _secret;

    public ChatPassword(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _secret = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>Judges a newcomer's first complete line, its terminator already taken off.</summary>
    public PasswordVerdict Check(ReadOnlySpan<byte> firstLine)
    {
        // The verb in any case, as every command (ChatCommands); the secret exactly, after one space.
        if (firstLine.Length < Verb.Length || !Ascii.EqualsIgnoreCase(firstLine[..Verb.Length], Verb)
            || (firstLine.Length > Verb.Length && firstLine[Verb.Length] != (byte)' '))
        {
            return PasswordVerdict.Missing;
        }

        var given = firstLine.Length > Verb.Length ? firstLine[(Verb.Length + 1)..] : [];
        return CryptographicOperations.FixedTimeEquals(given, _secret) ? PasswordVerdict.Accepted : PasswordVerdict.Wrong;
    }
}
