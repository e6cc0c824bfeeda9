namespace Wirekit.Transfer;

/// <summary>Defaults for starting the file server without being told what to serve (`wirekit serve`).</summary>
public static class FileServerDefaults
{
    /// <summary>Wrong tokens one address may try before it has to wait (see <see cref="TokenLongestWait"/>).</summary>
    public const int TokenFreeGuesses = 3;

    /// <summary>The longest an address waits after wrong tokens: 1 s after the free guesses, doubling up to this.</summary>
    public static readonly TimeSpan TokenLongestWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A folder that is safe to serve unasked: created empty on first use, under $XDG_DATA_HOME/wirekit/files when
    /// that is set, otherwise under the temp folder (wirekit-files-USER). Never the home or working directory,
    /// which hold files nobody meant to publish.
    /// </summary>
    public static string CreateDefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? Path.Join(xdg, "wirekit", "files")
            : Path.Join(Path.GetTempPath(), $"wirekit-files-{Environment.UserName}");
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>Server options for <see cref="CreateDefaultRoot"/>: classic and modern on, no token, hidden files unlisted.</summary>
    public static FileServerOptions Options() => new() { Root = CreateDefaultRoot() };
}
