namespace Wirekit.Transfer;

/// <summary>A regular file inside the root, as the jail found it.</summary>
internal sealed record JailedFile(string Name, string RealPath, long Size, DateTime LastWriteUtc)
{
    public long LastWriteUnixMs => new DateTimeOffset(LastWriteUtc).ToUnixTimeMilliseconds();
}

/// <summary>
/// Keeps every request inside the served folder: a name is one path component, links are followed only when
/// they end inside the root, only regular files are served, hidden files only when asked (docs/file-protocol.md, "Root jail").
/// </summary>
internal sealed class FileRootJail
{
    private readonly string _rootPrefix;

    public FileRootJail(string root, bool showHidden)
    {
        RealRoot = UnixFileType.RealPath(root) ?? throw new DirectoryNotFoundException($"the served folder '{root}' does not exist");
        if (!Directory.Exists(RealRoot))
        {
            throw new DirectoryNotFoundException($"the served folder '{root}' is not a directory");
        }

        _rootPrefix = RealRoot.EndsWith(Path.DirectorySeparatorChar) ? RealRoot : RealRoot + Path.DirectorySeparatorChar;
        ShowHidden = showHidden;
    }

    public string RealRoot { get; }

    public bool ShowHidden { get; }

    /// <summary>Resolves a requested name; on refusal returns the error code and a reason fit to send to the peer.</summary>
    public (JailedFile? File, FileErrorCode Error, string Reason) Resolve(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0 || Path.IsPathRooted(name))
        {
            return (null, FileErrorCode.Refused, "a name must be one file of the served folder, without '/', '\\' or '..'");
        }

        if (name[0] == '.' && !ShowHidden)
        {
            return (null, FileErrorCode.NotFound, $"no file '{name}'");
        }

        var candidate = Path.Join(RealRoot, name);
        var real = UnixFileType.RealPath(candidate);
        if (real is null)
        {
            return (null, FileErrorCode.NotFound, $"no file '{name}'");
        }

        if (!real.StartsWith(_rootPrefix, StringComparison.Ordinal))
        {
            return (null, FileErrorCode.Refused, $"'{name}' leads out of the served folder");
        }

        if (!UnixFileType.IsRegularFile(real))
        {
            return (null, FileErrorCode.Refused, $"'{name}' is not a regular file");
        }

        var info = new FileInfo(real);
        return (new JailedFile(name, real, info.Length, info.LastWriteTimeUtc), 0, "");
    }

    /// <summary>Every servable file at the top of the root, in ordinal name order (the order classic indexes follow).</summary>
    public List<JailedFile> List()
    {
        var files = new List<JailedFile>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(RealRoot))
        {
            var (file, _, _) = Resolve(Path.GetFileName(entry));
            if (file is not null)
            {
                files.Add(file);
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }
}
