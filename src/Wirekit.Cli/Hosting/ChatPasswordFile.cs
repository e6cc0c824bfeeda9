using System.CommandLine;
using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `--password-file F` of `chat serve`, `serve` and `chat join`: the chat room's password is the file's first line
/// (a file, not an option, so it stays out of `ps` and shell history). A file that cannot be read or whose first line
/// is empty is one `error:` line and exit 2, before anything listens or connects.
/// </summary>
internal static class ChatPasswordFile
{
    public static Option<string?> Option(string description) => new("--password-file") { Description = description, HelpName = "file" };

    /// <summary>The password in the file given; null without the option.</summary>
    public static string? Read(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } path)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailure.Usage($"cannot read the password file '{path}': {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
        }

        var end = text.IndexOfAny(['\r', '\n']);
        var password = end < 0 ? text : text[..end];
        return password.Length > 0 ? password : throw CommandFailure.Usage($"the password file '{path}' is empty: its first line is the room's password");
    }
}
