using Wirekit.Chat;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;

namespace Wirekit.Cli.Chat;

/// <summary>One line of the room for a program: what kind it is, who said it, and the text (docs/json.md).</summary>
internal sealed record ChatJsonLine(string Kind, string Text, string? From = null)
{
    /// <summary>Sorts a line by the room's wording: <c>&lt;bob&gt; hi</c>, <c>-!- ...</c>, <c>! error: ...</c>; anything else is "other".</summary>
    public static ChatJsonLine Of(string line)
    {
        if (line.StartsWith('<') && line.IndexOf("> ", StringComparison.Ordinal) is var end and > 1)
        {
            return new ChatJsonLine("message", line[(end + 2)..], line[1..end]);
        }

        return line.StartsWith(ChatWording.NoticePrefix, StringComparison.Ordinal) ? new ChatJsonLine("notice", line[ChatWording.NoticePrefix.Length..])
            : line.StartsWith(ChatWording.ErrorPrefix, StringComparison.Ordinal) ? new ChatJsonLine("error", line[ChatWording.ErrorPrefix.Length..])
            : new ChatJsonLine("other", line);
    }
}

/// <summary>`chat join --json`: lines in as typed or piped, every line out as one JSON object.</summary>
internal sealed class ChatJsonConsole(ILineConsole lines) : ILineConsole
{
    public bool CanAsk => false; // a program reads the output: nobody to ask for another name

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => lines.ReadLineAsync(cancellationToken);

    public void Print(string line) => lines.Print(CliJson.SerializeLine(ChatJsonLine.Of(line)));

    public void Finish() => lines.Finish();
}

/// <summary>`chat join --quiet`: only what members say; the room's and the client's notices are left out (errors still go to stderr).</summary>
internal sealed class QuietChatConsole(ILineConsole lines) : ILineConsole
{
    public bool CanAsk => lines.CanAsk;

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => lines.ReadLineAsync(cancellationToken);

    public void Print(string line)
    {
        if (!line.StartsWith(ChatWording.NoticePrefix, StringComparison.Ordinal))
        {
            lines.Print(line);
        }
    }

    public void Finish() => lines.Finish();
}
