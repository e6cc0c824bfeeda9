using System.Collections.Concurrent;

namespace Wirekit.Engines.Sessions;

/// <summary>Why a connection was not admitted.</summary>
internal enum Refusal
{
    /// <summary>The server's own limit: <see cref="ServerOptions.MaxConnections"/>, or what its engine can serve.</summary>
    SessionLimit,

    /// <summary>The process's descriptors are spoken for (<see cref="DescriptorBudget"/>).</summary>
    OutOfDescriptors,

    /// <summary>The peer's address is not admitted by the access rules (<see cref="ServerOptions.Access"/>).</summary>
    Denied,

    /// <summary>The peer's address holds its share already (<see cref="ServerOptions.MaxConnectionsPerAddress"/>).</summary>
    PerAddressLimit,

    /// <summary>Admitted, then closed for not completing its handshake in time (<see cref="ServerOptions.HandshakeTimeout"/>).</summary>
    HandshakeTimeout,

    /// <summary>Admitted, then closed for opening with a TLS ClientHello on a plaintext port (Session.TlsOnPlaintext.cs).</summary>
    TlsOnPlaintext,
}

/// <summary>
/// The sessions open right now, and admission: a slot is taken before a session is made (against the server's limit
/// and the process's descriptor budget) and given back when the session is removed.
/// </summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<long, Session> _sessions = new();
    private readonly int _limit;
    private readonly int _descriptorsPerSession;
    private int _admitted;
    private int _peak;
    private long _lastId;

    /// <param name="limit">Sessions at once; <see cref="int.MaxValue"/> for no limit of the server's own.</param>
    /// <param name="descriptorsPerSession">What one session costs in descriptors (its socket, files it opens).</param>
    public SessionRegistry(int limit, int descriptorsPerSession)
    {
        _limit = limit;
        _descriptorsPerSession = Math.Max(1, descriptorsPerSession);
    }

    /// <summary>Sessions admitted and not yet removed.</summary>
    public int Count => Volatile.Read(ref _admitted);

    public int Limit => _limit;

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Takes a slot for a new session, or says why there is none. A taken slot is freed by <see cref="Remove"/> or <see cref="Forfeit"/>.</summary>
    public Refusal? TryAdmit()
    {
        if (Interlocked.Increment(ref _admitted) > _limit)
        {
            Interlocked.Decrement(ref _admitted);
            return Refusal.SessionLimit;
        }

        if (!DescriptorBudget.TryReserve(_descriptorsPerSession))
        {
            Interlocked.Decrement(ref _admitted);
            return Refusal.OutOfDescriptors;
        }

        RaisePeak(Volatile.Read(ref _admitted));
        return null;
    }

    /// <summary>
    /// The most sessions open at once since the last call, which starts the next span at the count open now. A crowd
    /// that comes and goes between two looks at <see cref="Count"/> is seen here all the same.
    /// </summary>
    public int TakePeak() => Interlocked.Exchange(ref _peak, Count);

    /// <summary>Gives back a slot taken for a connection that never became a session.</summary>
    public void Forfeit()
    {
        DescriptorBudget.Release(_descriptorsPerSession);
        Interlocked.Decrement(ref _admitted);
    }

    public void Add(Session session) => _sessions[session.Id] = session;

    /// <summary>True for the call that removed it (a session's slot is given back once).</summary>
    public bool Remove(Session session)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            Forfeit();
            return true;
        }

        return false;
    }

    public Session? Find(long id) => _sessions.GetValueOrDefault(id);

    public Session[] Snapshot() => _sessions.Values.ToArray();

    private void RaisePeak(int count)
    {
        var peak = Volatile.Read(ref _peak);
        while (count > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, count, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
