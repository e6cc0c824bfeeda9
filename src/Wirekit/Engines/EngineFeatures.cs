namespace Wirekit.Engines;

/// <summary>What an engine offers a service beyond a byte stream per session.</summary>
[Flags]
public enum EngineFeatures
{
    None = 0,

    /// <summary>Serves many sessions at once (every engine but <see cref="EngineKind.Iterative"/>, which serves one).</summary>
    ConcurrentSessions = 1,

    /// <summary>
    /// Gives each session a flow of control of its own (a thread or an async task) that may wait on the socket:
    /// what an <see cref="IConnectionHandler"/> needs. The single-threaded engines cannot: one wait would stop them all.
    /// </summary>
    FlowPerSession = 2,

    /// <summary>
    /// Carries TLS under its sessions (SslStream, with the handshake on the session's own thread or task): every
    /// engine that gives a session a flow of its own, and iterative, whose one session has the accept thread.
    /// </summary>
    Tls = 4,
}
