using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>ServerOptions.FlushCoalescing (`chat serve --coalesce`): lines held back to leave together are never lost, reordered or kept past a stop.</summary>
public abstract partial class ChatEngineTests
{
    [Fact]
    public async Task Lines_said_faster_than_the_coalescing_window_all_reach_every_member_in_order()
    {
        const int memberCount = 20, lineCount = 100;
        await using var server = Start(new ChatOptions { RateLimit = 0, MaxRepeats = 0 }, new ServerOptions { FlushCoalescing = TimeSpan.FromMilliseconds(50) });
        var members = new List<ChatTestClient>();
        try
        {
            for (var i = 0; i < memberCount; i++)
            {
                members.Add(await ChatTestClient.JoinAsAsync(server.LocalEndPoint, $"m{i}"));
            }

            await Deadline.UntilAsync(() => server.Members == memberCount, $"{memberCount} members");
            for (var n = 0; n < lineCount; n++)
            {
                await members[0].SendLineAsync($"line {n}"); // one write each: each is a flush request of its own
            }

            var expected = Enumerable.Range(0, lineCount).Select(n => $"<m0> line {n}").ToList();
            foreach (var lines in await Task.WhenAll(members.Select(member => ReadMessagesAsync(member, lineCount))))
            {
                Assert.Equal(expected, lines);
            }
        }
        finally
        {
            members.ForEach(member => member.Dispose());
        }
    }

    [Fact]
    public async Task A_server_that_coalesces_stops_at_once_when_nothing_is_held()
    {
        // Found by bench/scale-out.sh: the pass waited for something to become due, and a stop with nobody left never woke it.
        var server = Start(new ChatOptions(), new ServerOptions { FlushCoalescing = TimeSpan.FromHours(1) });
        using (var member = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob"))
        {
            await member.SendLineAsync("/quit");
            Assert.True(await member.ReadsToEndAsync());
        }

        await Deadline.UntilAsync(() => server.Members == 0, "bob gone");
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_line_held_for_the_next_window_is_sent_at_once_by_a_stop_before_its_notice()
    {
        // A window of an hour: the first line from elsewhere leaves at once (its member asked for no flush before), the
        // next waits for the pass that an hour away, so only the stop can deliver it, and must, ahead of the notice.
        var server = Start(new ChatOptions(), new ServerOptions { FlushCoalescing = TimeSpan.FromHours(1) });
        using var bob = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob");
        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        Assert.Equal("-!- alice joined", await bob.ReadLineAsync());

        await alice.SendLineAsync("one");
        Assert.Equal("<alice> one", await alice.ReadLineAsync()); // her own line, flushed by her own receive: never held
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("<alice> one", await bob.ReadLineAsync());
        Assert.Equal("-!- server shutting down", await bob.ReadLineAsync());
        Assert.Null(await bob.TryReadLineAsync());
    }
}
