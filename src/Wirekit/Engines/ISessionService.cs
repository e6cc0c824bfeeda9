namespace Wirekit.Engines;

/// <summary>
/// A byte-stream service written once and run on every engine (echo, chat). Callbacks for one session never run
/// concurrently with each other; callbacks for different sessions may, except on the single-threaded engines.
/// Callbacks must not block: they parse, decide and queue.
/// </summary>
public interface ISessionService : IServerService
{
    void OnConnected(ISession session);

    /// <summary>Bytes as the kernel handed them over: any split or coalescing of the peer's sends. The span is only valid during the call.</summary>
    void OnReceived(ISession session, ReadOnlySpan<byte> data);

    void OnDisconnected(ISession session, DisconnectReason reason);

    /// <summary>Bytes sent to a connection refused because the server is full, before it is closed; empty for none.</summary>
    ReadOnlySpan<byte> RefusalNotice => default;

    /// <summary>
    /// Bytes sent to a connection refused at admission for <paramref name="reason"/>, before it is closed; empty for
    /// none. A notice says why: the server-full text is for a full server only (the default: <see cref="RefusalNotice"/>
    /// when full, nothing otherwise).
    /// </summary>
    ReadOnlySpan<byte> RefusalNoticeFor(RefusalReason reason) => reason == RefusalReason.ServerFull ? RefusalNotice : default;
}
