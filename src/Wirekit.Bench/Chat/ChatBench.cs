using System.Diagnostics;
using System.Net;

namespace Wirekit.Bench.Chat;

/// <summary>
/// Drives a chat server, or several holding one room through a backplane, with <see cref="ChatBenchOptions.Clients"/>
/// members, <see cref="ChatBenchOptions.Senders"/> of them talking, and measures deliveries per second and fan-out
/// latency. Every loop is a task owned here and awaited before the result is returned.
/// </summary>
public static class ChatBench
{
    /// <summary>
    /// Connects the members to <paramref name="server"/>, waits for every join notice, sends for
    /// <see cref="ChatBenchOptions.Duration"/>, drains, and returns what arrived. Throws <see cref="ArgumentException"/>
    /// for options that break a rule (<see cref="ChatBenchOptions.Problem"/>).
    /// </summary>
    /// <param name="server">A chat server whose flood guard is off (a bench sender would be dropped as a flooder).</param>
    /// <param name="options">What to run.</param>
    /// <param name="latencyRecorderFor">
    /// Called once per member index; the returned action gets that member's fan-out latencies in
    /// <see cref="Stopwatch"/> ticks, from that member's receive loop only (so it needs no locking).
    /// </param>
    /// <param name="cancellationToken">Ends the run early; every loop is awaited before this returns.</param>
    public static Task<ChatBenchResult> RunAsync(
        IPEndPoint server, ChatBenchOptions options, Func<int, Action<long>> latencyRecorderFor, CancellationToken cancellationToken)
        => RunAsync([server], options, latencyRecorderFor, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(IPEndPoint, ChatBenchOptions, Func{int, Action{long}}, CancellationToken)"/> on nodes of one
    /// room: member i joins <paramref name="servers"/>[i mod N], so members and senders (the first S members) are spread
    /// round-robin, and a message sent on one node and received on another counts like any other delivery.
    /// <see cref="ChatBenchResult.Nodes"/> has the counts of each node's members, in the order given.
    /// </summary>
    /// <param name="servers">The nodes, each with its flood guard off; at least one.</param>
    /// <param name="options">What to run.</param>
    /// <param name="latencyRecorderFor">As for one server: called once per member index, used from that member's receive loop only.</param>
    /// <param name="cancellationToken">Ends the run early; every loop is awaited before this returns.</param>
    public static async Task<ChatBenchResult> RunAsync(
        IReadOnlyList<IPEndPoint> servers, ChatBenchOptions options, Func<int, Action<long>> latencyRecorderFor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        OptionProblem.ThrowIfAny(options.Problem());
        var clients = new List<ChatBenchClient>(options.Clients);
        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = new List<Task>(options.Clients);
        // Names of this run's own (b, four random letters, x, the member's index), so that two runs on one room, or a
        // run beside people in it, do not claim the same names.
        var namePrefix = $"b{string.Concat(Enumerable.Range(0, 4).Select(_ => (char)('a' + Random.Shared.Next(26))))}x";
        try
        {
            for (var i = 0; i < options.Clients; i++)
            {
                var client = await ChatBenchClient.ConnectAsync(
                    servers[i % servers.Count], options.Tls, $"{namePrefix}{i}", latencyRecorderFor(i), cancellationToken).ConfigureAwait(false);
                clients.Add(client);
                receiving.Add(client.ReceiveLoopAsync(stopReceiving.Token));
            }

            // Every join is a broadcast too: wait until they have all arrived, so the clock measures chat messages,
            // not the join storm. Of two members, exactly one sees the other's join (whichever joined first; on the
            // threads engine, or across nodes in the backplane's order, that need not be the one that connected
            // first), and each sees its own: C(C+1)/2 in all.
            // Bounded: a server that drops members never settles.
            var allJoins = (long)options.Clients * (options.Clients + 1) / 2;
            var settled = Stopwatch.StartNew();
            while (clients.Sum(client => client.JoinsSeen) < allJoins && settled.Elapsed < options.JoinSettleLimit)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            var joinSettleTime = settled.Elapsed;

            var clock = Stopwatch.StartNew();
            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopSending.CancelAfter(options.Duration);
            var perSender = options.Rate / options.Senders;
            var sending = clients.Take(options.Senders).Select(sender => sender.SendLoopAsync(perSender, stopSending.Token)).ToArray();
            var sentBy = await Task.WhenAll(sending).ConfigureAwait(false);
            var sent = sentBy.Sum();
            var sendTime = clock.Elapsed;

            // Wait for what is in flight, up to the drain time; members the server dropped will never catch up.
            var expected = sent * options.Clients;
            var drainUntil = clock.Elapsed + options.DrainTime;
            while (clock.Elapsed < drainUntil && clients.Where(c => !c.Lost).Sum(c => c.Delivered) < sent * clients.Count(c => !c.Lost))
            {
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }

            var delivered = clients.Sum(c => c.Delivered);
            var totalTime = clock.Elapsed;
            stopReceiving.Cancel();
            await Task.WhenAll(receiving).ConfigureAwait(false);
            return new ChatBenchResult(sent, delivered, sendTime, totalTime, clients.Count(c => c.Lost), joinSettleTime)
            {
                Nodes = servers.Select((server, node) => NodeCounts(server, node, servers.Count, clients, sentBy)).ToArray(),
            };
        }
        finally
        {
            stopReceiving.Cancel();
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await Task.WhenAll(receiving).ConfigureAwait(false);
        }
    }

    /// <summary>What the members of node <paramref name="node"/> (every N-th from it) sent and received.</summary>
    private static ChatBenchNodeResult NodeCounts(IPEndPoint server, int node, int nodes, List<ChatBenchClient> clients, long[] sentBy)
    {
        var members = clients.Where((_, i) => i % nodes == node).ToList();
        var sent = sentBy.Where((_, i) => i % nodes == node).Sum();
        return new ChatBenchNodeResult(server, members.Count, sent, members.Sum(c => c.Delivered), members.Count(c => c.Lost));
    }
}
