namespace Wirekit.Transfer;

/// <summary>Events the file server counts, besides logging them (rate-limited), so tests and operators can see how often each defence acted.</summary>
internal enum FileServerEvent
{
    /// <summary>A send made no progress for the send timeout; the connection was reset.</summary>
    SendTimeout,

    /// <summary>A file changed while it was being sent; the connection was reset.</summary>
    FileChanged,

    /// <summary>A connection reached <see cref="FileServerOptions.MaxErrorsPerConnection"/> error replies and was closed.</summary>
    TooManyErrors,

    /// <summary>A connection offered <see cref="TokenGuessBackoff.FreeGuesses"/> wrong tokens and was closed.</summary>
    TokenGuessesClosed,

    /// <summary>A CMD_AUTH refused unchecked because its address was blocked after wrong tokens.</summary>
    TokenGuessBlocked,

    /// <summary>A request answered Busy: the server was out of file descriptors (EMFILE/ENFILE).</summary>
    Busy,
}

/// <summary>One counter per <see cref="FileServerEvent"/>, safe from any thread.</summary>
internal sealed class FileServerCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<FileServerEvent>().Length];

    public long this[FileServerEvent kind] => Interlocked.Read(ref _counts[(int)kind]);

    public void Count(FileServerEvent kind) => Interlocked.Increment(ref _counts[(int)kind]);
}
