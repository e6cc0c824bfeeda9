namespace Wirekit.Engines;

/// <summary>The four I/O models of the classic socket-server path, from the seed's first echo server to IOCP.</summary>
public enum EngineKind
{
    /// <summary>One client at a time with blocking calls; the next client waits in the listen backlog.</summary>
    Iterative,

    /// <summary>A thread per client, blocking calls (the seed's multithreaded servers).</summary>
    Threads,

    /// <summary>One thread multiplexing every socket by readiness (select/poll).</summary>
    Select,

    /// <summary>Completion-based: IOCP on Windows, epoll behind .NET's socket engine on Linux.</summary>
    Async,
}
