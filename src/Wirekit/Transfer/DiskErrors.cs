namespace Wirekit.Transfer;

/// <summary>
/// What a failed disk operation means to the person downloading, in one line: the folder, the reason as `ls` or
/// `cp` would say it, never a .NET exception's text with the file name repeated.
/// </summary>
internal static class DiskErrors
{
    // errno values (Linux); .NET puts the errno in IOException.HResult for errors it does not map to a subclass.
    private const int TooManyOpenFilesInSystem = 23;
    private const int TooManyOpenFiles = 24;
    private const int AccessDenied = 13;
    private const int NoSpace = 28;
    private const int ReadOnly = 30;
    private const int QuotaExceeded = 122;

    /// <summary>True for failures of the disk rather than of the program (a full disk, a read-only mount, permissions).</summary>
    public static bool IsDiskError(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>EMFILE or ENFILE: the process or the system is out of file descriptors, a passing condition.</summary>
    public static bool IsOutOfDescriptors(Exception e) => e is IOException { HResult: TooManyOpenFiles or TooManyOpenFilesInSystem };

    /// <summary>"FOLDER: no space left on device" and the like.</summary>
    public static string Describe(Exception e, string folder)
    {
        var reason = e switch
        {
            UnauthorizedAccessException => "permission denied",
            IOException { HResult: NoSpace } => "no space left on device",
            IOException { HResult: ReadOnly } => "read-only file system",
            IOException { HResult: QuotaExceeded } => "disk quota exceeded",
            IOException { HResult: AccessDenied } => "permission denied",
            _ => FirstClause(e.Message),
        };
        return $"{folder}: {reason}";
    }

    // .NET's texts end with " : 'path'" (Unix) or repeat the path; the folder is already said.
    private static string FirstClause(string message)
    {
        var cut = message.IndexOf(" : '", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..].TrimEnd('.') : "input/output error";
    }
}
