namespace Wirekit.Transfer;

/// <summary>What the file server serves and to whom. Socket-level settings live in <see cref="Engines.ServerOptions"/>.</summary>
public sealed record FileServerOptions
{
    /// <summary>The folder served. Required; only its top-level regular files are listed and served.</summary>
    public required string Root { get; init; }

    /// <summary>List and serve files whose name starts with '.'. Default false.</summary>
    public bool ShowHidden { get; init; }

    /// <summary>When set, the modern commands require CMD_AUTH with this token first. Default null (open).</summary>
    public string? Token { get; init; }

    /// <summary>Answer the seed's classic commands (100, 101) with CMD_ERROR. Default false (classic served).</summary>
    public bool NoClassic { get; init; }

    /// <summary>How long the server waits for a client's next command before closing. Default 60 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a reply may go without the peer acknowledging a byte before the connection is reset (a client that
    /// asked for a file and stopped reading holds a descriptor and megabytes of kernel memory). A slow reader that
    /// keeps reading is never cut off. Needs Linux's TCP_INFO; elsewhere stalls are not judged. Default 30 s; zero
    /// turns it off.
    /// </summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// CMD_ERROR replies one connection may receive before the server closes it: a client that makes this many bad,
    /// refused or unknown requests is probing or broken, not working. Default 32.
    /// </summary>
    public int MaxErrorsPerConnection { get; init; } = 32;
}
