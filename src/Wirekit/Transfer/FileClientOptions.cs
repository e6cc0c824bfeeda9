namespace Wirekit.Transfer;

/// <summary>Where the file client connects and how it downloads.</summary>
public sealed record FileClientOptions
{
    /// <summary>
    /// Creates each connection's socket instead of <c>new Socket(...)</c>; null for the default. Tests use it to make
    /// the client's sockets inside a network namespace (a socket belongs to the namespace it was created in).
    /// </summary>
    public Func<System.Net.Sockets.Socket>? SocketFactory { get; init; }

    /// <summary>Server host name or address. Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Server port. Default <see cref="DefaultPorts.File"/> (25002).</summary>
    public int Port { get; init; } = DefaultPorts.File;

    /// <summary>TLS for every connection (each parallel range connection handshakes on its own); null for plaintext. Default null.</summary>
    public Wirekit.Tls.ClientTls? Tls { get; init; }

    /// <summary>Token for servers started with --token; sent with CMD_AUTH before any modern command. Default none.</summary>
    public string? Token { get; init; }

    /// <summary>Speak the seed's classic commands (index-based, 32-bit sizes, no hash). Default false (modern).</summary>
    public bool Classic { get; init; }

    /// <summary>
    /// Bytes received but not yet on disk, at most. When full the receive loop waits, so the kernel's window closes
    /// gracefully instead of memory growing; default 32 MiB.
    /// </summary>
    public long QueueBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Continue an existing NAME.part from its length instead of starting over. Default false.</summary>
    public bool Resume { get; init; }

    /// <summary>Connections that fetch ranges of one file at once (modern only), at most <see cref="FileTransferClient.MaxParallel"/>. Default 1.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>
    /// Receive and verify the hash, but write nothing (the network path without the disk, for benchmarks against
    /// `curl -o /dev/null`). Not with Resume, Parallel or Classic. Default false.
    /// </summary>
    public bool Discard { get; init; }

    /// <summary>
    /// Limit for connecting and for each reply header. Default 30 s: the first request for a file waits while the
    /// server hashes it (a few GB/s from the page cache, disk speed when cold).
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a download did.</summary>
/// <param name="Name">The file asked for.</param>
/// <param name="Path">Where it now is.</param>
/// <param name="Size">Its size.</param>
/// <param name="Received">Bytes that came over the network this time (less than Size after a resume).</param>
/// <param name="Verified">True when the XXH128 of the bytes on disk matched the server's; false in classic mode, which carries no hash.</param>
/// <param name="HashHex">XXH128 of the file on disk.</param>
/// <param name="Elapsed">Wall time, connect to rename.</param>
/// <param name="Connections">Connections used.</param>
public sealed record FileDownloadResult(string Name, string Path, long Size, long Received, bool Verified, string HashHex, TimeSpan Elapsed, int Connections)
{
    /// <summary>Bytes of an existing NAME.part that a resumed download kept (0 for a fresh download).</summary>
    public long Resumed { get; init; }

    /// <summary>Something the user should know about how the download went (e.g. a .part that could not be used), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Received bytes per second.</summary>
    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? Received / Elapsed.TotalSeconds : 0;
}

/// <summary>A download or list that failed for a reason the user should read: a server error, a hash mismatch, a protocol violation.</summary>
public sealed class FileTransferException(string message, FileErrorCode? serverError = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The server's ERRORDATA code when the server refused; null for client-side failures.</summary>
    public FileErrorCode? ServerError { get; } = serverError;

    /// <summary>What the caller can do next. The message states facts only; a front end words the remedy in its own flags.</summary>
    public FileTransferRemedy Remedy { get; init; }
}

/// <summary>What a failed download leaves the caller able to do, beyond reading the message.</summary>
public enum FileTransferRemedy
{
    /// <summary>Nothing particular: fix the cause the message names and try again.</summary>
    None,

    /// <summary>Verified bytes are kept in NAME.part and its journal: <see cref="FileClientOptions.Resume"/> fetches only the rest.</summary>
    Resume,

    /// <summary>NAME.part cannot be resumed (it is longer than the server's file): delete it, or download without resuming to start over.</summary>
    StartOver,

    /// <summary>The output folder names an existing file: give a folder.</summary>
    ChooseFolder,
}
