using System.Runtime.CompilerServices;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// The test host keeps two thread-pool threads blocked for the whole run (VSTest's message loop and xunit's assembly
/// runner). On 2 cores that is the pool's minimum, so any other pool work waited ~0.5 s for the pool to add a thread,
/// and async-engine tests stalled at random (3 stalls in 54 runs of the load-generator tests; 0 in 54 with this).
/// Servers in production have no such squatters; this only gives the tests what a real process has.
/// </summary>
internal static class TestHostThreads
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before any test in the assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
    }
}
