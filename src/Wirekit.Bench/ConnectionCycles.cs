using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Wirekit.Bench;

/// <summary>
/// Opens a set of idle connections, holds it, closes it, waits for the server to let go, and repeats
/// (<see cref="ConnectionCycleOptions"/>), reading the server's RSS at each step. One cycle with no settle is
/// `bench connections` as it always was: memory per connection held.
/// </summary>
public static class ConnectionCycles
{
    private static readonly TimeSpan ReleasePoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs the cycles. Connection failures are counted, not thrown; options that break a rule throw
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public static async Task<ConnectionCyclesResult> RunAsync(
        IdleConnectionOptions connections, ConnectionCycleOptions cycles, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        OptionProblem.ThrowIfAny(connections.Problem());
        OptionProblem.ThrowIfAny(cycles.Problem());
        var pid = cycles.ServerPid;
        var before = Rss(pid);

        // The sockets the server holds at rest (its listener, say): the level it returns to once every session of a
        // cycle is closed.
        var socketsAtRest = pid is { } p ? ProcessFiles.CountSockets(p) : null;
        var done = new List<ConnectionCycle>(cycles.Cycles);
        for (var number = 1; number <= cycles.Cycles; number++)
        {
            var set = await IdleConnectionSet.OpenAsync(connections, logger, cancellationToken).ConfigureAwait(false);
            int held;
            long? open;
            try
            {
                held = cycles.CheckEcho ? await set.CountEchoingAsync(cancellationToken).ConfigureAwait(false) : set.Opened;
                open = Rss(pid);
            }
            finally
            {
                set.Dispose();
            }

            var release = Stopwatch.StartNew();
            bool? released = socketsAtRest is { } rest
                ? await WaitForSocketsAsync(pid!.Value, rest, cycles.ReleaseTimeout, cancellationToken).ConfigureAwait(false)
                : null;
            done.Add(new ConnectionCycle
            {
                Number = number,
                Requested = set.Requested,
                Opened = set.Opened,
                Held = held,
                SourceAddresses = set.SourceAddresses,
                OpenTime = set.OpenTime,
                ServerRssOpenBytes = open,
                ServerRssClosedBytes = Rss(pid),
                ServerReleased = released,
                ReleaseTime = released is null ? TimeSpan.Zero : release.Elapsed,
            });
        }

        long? settled = null;
        if (cycles.Settle > TimeSpan.Zero)
        {
            await Task.Delay(cycles.Settle, cancellationToken).ConfigureAwait(false);
            settled = Rss(pid);
        }

        return new ConnectionCyclesResult
        {
            ServerRssBeforeBytes = before,
            Cycles = done,
            Settle = cycles.Settle,
            ServerRssSettledBytes = settled,
        };
    }

    private static long? Rss(int? pid) => pid is { } p ? ProcessMemory.ReadResidentBytes(p) : null;

    // Polled: /proc has no change notification, and a tenth of a second is fine grain for a bench.
    private static async Task<bool> WaitForSocketsAsync(int pid, int atMost, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var open = ProcessFiles.CountSockets(pid);
            if (open is null || open <= atMost)
            {
                return open is not null;
            }

            if (clock.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(ReleasePoll, cancellationToken).ConfigureAwait(false);
        }
    }
}
