namespace Wirekit.Engines.Sessions;

/// <summary>Whether the peer has shown itself a real client yet: what the handshake deadline (<see cref="HandshakeDeadlines"/>) looks at.</summary>
internal abstract partial class Session
{
    private int _established;
    private int _watched;

    /// <summary>Set once by the service (its first complete unit) and read by the deadline's sweep; never reset.</summary>
    internal bool IsEstablished => Volatile.Read(ref _established) != 0;

    public bool AwaitingHandshake => Volatile.Read(ref _watched) != 0 && !IsEstablished;

    /// <summary>The handshake deadline has started for this session (before the service first sees it).</summary>
    internal void WatchHandshake() => Volatile.Write(ref _watched, 1);

    public void MarkEstablished()
    {
        // Read first: echo says so on every receive, and a write each time would bounce the cache line for nothing.
        if (Volatile.Read(ref _established) == 0)
        {
            Volatile.Write(ref _established, 1);
        }
    }
}
