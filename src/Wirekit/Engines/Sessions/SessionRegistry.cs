using System.Collections.Concurrent;

namespace Wirekit.Engines.Sessions;

/// <summary>The sessions open right now, and the connection limit that admits new ones.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<long, Session> _sessions = new();
    private readonly int _limit;
    private long _lastId;

    public SessionRegistry(int limit) => _limit = limit;

    public int Count => _sessions.Count;

    public bool IsFull => _limit > 0 && _sessions.Count >= _limit;

    public long NextId() => Interlocked.Increment(ref _lastId);

    public void Add(Session session) => _sessions[session.Id] = session;

    public void Remove(Session session) => _sessions.TryRemove(session.Id, out _);

    public Session[] Snapshot() => _sessions.Values.ToArray();
}
