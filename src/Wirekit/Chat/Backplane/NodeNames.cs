namespace Wirekit.Chat.Backplane;

/// <summary>A node's name: what <c>/who</c> and <c>(node a lost)</c> show, so short and plain.</summary>
internal static class NodeNames
{
    public const int MaxLength = BackplaneEnvelope.MaxNodeName;

    /// <summary>Null when <paramref name="name"/> can be a node's (or a room's: <paramref name="what"/>) name; otherwise why not.</summary>
    public static string? Check(string name, string what = "node")
        => name.Length is 0 or > MaxLength || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            ? $"a {what} name has 1 to {MaxLength} characters: letters, digits, '.', '_' and '-'"
            : null;

    /// <summary>The name given, or host name and process id: unique per room as long as hosts' names are.</summary>
    public static string OrDefault(string? name)
    {
        if (name is not null)
        {
            return Check(name) is { } why ? throw new ArgumentException(why, nameof(name)) : name;
        }

        var host = new string([.. Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')]);
        var pid = $"-{Environment.ProcessId}";
        host = host.Length == 0 ? "node" : host[..Math.Min(host.Length, MaxLength - pid.Length)];
        return host + pid;
    }
}
