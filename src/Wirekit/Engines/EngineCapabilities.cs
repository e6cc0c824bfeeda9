namespace Wirekit.Engines;

/// <summary>
/// Which engine carries what: the one table the server host, the CLI's <c>--engine</c> choices, its help and its
/// errors are built from.
/// </summary>
public static class EngineCapabilities
{
    /// <summary>What each engine offers.</summary>
    public static EngineFeatures Of(EngineKind engine) => engine switch
    {
        EngineKind.Iterative => EngineFeatures.Tls,
        EngineKind.Threads => EngineFeatures.ConcurrentSessions | EngineFeatures.FlowPerSession | EngineFeatures.Tls,
        // No TLS: see docs/architecture.md, "TLS: a layer under the session".
        EngineKind.Select => EngineFeatures.ConcurrentSessions,
        EngineKind.Async => EngineFeatures.ConcurrentSessions | EngineFeatures.FlowPerSession | EngineFeatures.Tls,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown engine"),
    };

    /// <summary>True when <paramref name="engine"/> offers everything in <paramref name="required"/>.</summary>
    public static bool Carries(EngineKind engine, EngineFeatures required) => (Of(engine) & required) == required;

    /// <summary>The engines that carry a service with these needs, in the order the seed teaches them.</summary>
    public static IReadOnlyList<EngineKind> EnginesFor(EngineFeatures required)
        => Enum.GetValues<EngineKind>().Where(engine => Carries(engine, required)).ToArray();

    /// <summary>
    /// The engine to use when <paramref name="asked"/> cannot carry the service: the nearest one in spirit that can
    /// (threads for the blocking engine, async for the single-threaded readiness one).
    /// </summary>
    public static EngineKind Nearest(EngineKind asked, EngineFeatures required)
    {
        if (Carries(asked, required))
        {
            return asked;
        }

        return asked == EngineKind.Iterative && Carries(EngineKind.Threads, required) ? EngineKind.Threads : EngineKind.Async;
    }

    /// <summary>Why <paramref name="engine"/> cannot carry a service with these needs, in words; null when it can.</summary>
    public static string? WhyNot(EngineKind engine, EngineFeatures required)
    {
        var missing = required & ~Of(engine);
        var name = engine.ToString().ToLowerInvariant();
        if (missing.HasFlag(EngineFeatures.ConcurrentSessions))
        {
            return $"the {name} engine serves one client at a time, and this service needs many at once";
        }

        if (missing.HasFlag(EngineFeatures.FlowPerSession))
        {
            return $"the {name} engine runs every session on one thread, and this service needs a thread or task per session";
        }

        if (missing.HasFlag(EngineFeatures.Tls))
        {
            return $"the {name} engine serves every session from one readiness loop, and TLS needs a thread or task per session for its handshake";
        }

        return null;
    }

    /// <summary>What a server with these options needs of its engine beyond what the service needs.</summary>
    public static EngineFeatures RequiredBy(ServerOptions options) => options.Tls is null ? EngineFeatures.None : EngineFeatures.Tls;
}
