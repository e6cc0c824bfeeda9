namespace Wirekit.Bench;

/// <summary>
/// How <see cref="ConnectionCycles"/> repeats a set of idle connections: open them all, hold them, close them, wait
/// for the server to let go, and again; then, after the last cycle, leave the server alone for a while. With a
/// server process id, the server's resident memory is read at every step, which shows what it keeps once its
/// connections are gone.
/// </summary>
public sealed record ConnectionCycleOptions
{
    /// <summary>Times the connections are opened and closed. Default 1.</summary>
    public int Cycles { get; init; } = 1;

    /// <summary>The server's process id, for its RSS and open sockets (Linux /proc); null measures nothing on the server.</summary>
    public int? ServerPid { get; init; }

    /// <summary>
    /// Check that every connection echoes a few bytes once all are open. Default true; false only holds them, for
    /// servers that do not echo (a chat server greets and announces instead).
    /// </summary>
    public bool CheckEcho { get; init; } = true;

    /// <summary>
    /// After closing, longest wait for the server's open sockets to fall back to what it had before the first cycle
    /// (it has closed every session then). Default 60 s. Only with <see cref="ServerPid"/>.
    /// </summary>
    public TimeSpan ReleaseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Idle time after the last cycle before the final RSS reading, for a runtime that gives memory back late. Default 0.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.Zero;

    /// <summary>The first rule these options break, or null when they break none.</summary>
    public OptionProblem? Problem() =>
        Cycles < 1 ? new(nameof(Cycles), "must be at least 1")
        : ReleaseTimeout < TimeSpan.Zero ? new(nameof(ReleaseTimeout), "cannot be negative")
        : Settle < TimeSpan.Zero ? new(nameof(Settle), "cannot be negative")
        : null;
}
