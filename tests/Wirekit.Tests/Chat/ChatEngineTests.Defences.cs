using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>The hostile-client cases: stalled readers, flooders, silent peers, a full server, and shutdown.</summary>
public abstract partial class ChatEngineTests
{
    [Fact]
    public async Task A_client_that_never_reads_is_dropped_while_the_others_get_all_10000_messages()
    {
        const int senders = 2, perSender = 5000, window = 250, readers = 3;
        // Small buffers so the stalled reader fills the kernel's share quickly and the queue bound decides.
        var serverOptions = new ServerOptions { MaxQueuedBytes = 256 * 1024, SendBufferSize = 16 * 1024 };
        await using var server = Start(new ChatOptions { RateLimit = 0, MaxRepeats = 0 }, serverOptions);
        using var stalled = await ChatTestClient.ConnectAsync(server.LocalEndPoint, receiveBuffer: 4096);
        await Deadline.UntilAsync(() => server.Members == 1, "the stalled member");
        var stalledName = $"user{1}";
        var active = new List<(ChatTestClient Client, string Name)>();
        for (var i = 0; i < senders + readers; i++)
        {
            active.Add(await ChatTestClient.JoinAsync(server.LocalEndPoint));
        }

        try
        {
            await Deadline.UntilAsync(() => server.Members == senders + readers + 1, "every member");
            var padding = new string('.', 80);
            var progress = active.Select(_ => new int[senders]).ToArray();
            var dropNoticeSeen = new bool[active.Count];
            var reading = active.Select((peer, index) => Task.Run(async () =>
            {
                var senderNames = active.Take(senders).Select(s => s.Name).ToArray();
                while (progress[index].Sum() < senders * perSender || !dropNoticeSeen[index])
                {
                    var line = await peer.Client.ReadLineAsync();
                    if (line == $"-!- {stalledName} left (slow consumer)")
                    {
                        dropNoticeSeen[index] = true;
                        continue;
                    }

                    if (!line.StartsWith('<'))
                    {
                        continue;
                    }

                    var from = Array.IndexOf(senderNames, line[1..line.IndexOf('>')]);
                    var number = int.Parse(line.AsSpan(line.IndexOf("> m", StringComparison.Ordinal) + 3, 5));
                    // Each sender's messages arrive complete and in order: the next one is always the expected one.
                    Assert.Equal(Volatile.Read(ref progress[index][from]), number);
                    Volatile.Write(ref progress[index][from], number + 1);
                }
            })).ToArray();

            await Task.WhenAll(active.Take(senders).Select(async (sender, s) =>
            {
                for (var start = 0; start < perSender; start += window)
                {
                    var batch = new StringBuilder();
                    for (var m = start; m < start + window; m++)
                    {
                        batch.Append($"m{m:D5} {padding}\n");
                    }

                    await sender.Client.SendRawAsync(Encoding.ASCII.GetBytes(batch.ToString()));
                    // Pace by the sender's own echo: at most one window in flight, so only the stalled reader overflows.
                    await Deadline.UntilAsync(() => Volatile.Read(ref progress[s][s]) >= start + window, "the sender's own echo");
                }
            }));

            await Task.WhenAll(reading).WaitAsync(Deadline.Default);
            Assert.All(progress, counts => Assert.All(counts, count => Assert.Equal(perSender, count)));
            Assert.Equal(senders + readers, server.Members);
            Assert.True(await stalled.ReadsToEndAsync());
        }
        finally
        {
            active.ForEach(peer => peer.Client.Dispose());
        }
    }

    [Fact]
    public async Task A_flooder_is_warned_once_then_dropped_and_the_room_goes_on()
    {
        await using var server = Start(new ChatOptions { RateLimit = 20, Burst = 40 });
        var (flooder, flooderName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (calm, calmName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);

        await flooder.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"flood {i}\n"))));

        var seen = await calm.SkipUntilAsync($"-!- {flooderName} left (flooding)");
        Assert.InRange(seen.Count(l => l.StartsWith('<')), 40, 45);
        var flooderLines = new List<string>();
        while (await flooder.TryReadLineAsync() is { } line)
        {
            flooderLines.Add(line);
        }

        // The burst goes through, then one warning, then the disconnect: nothing after the warning.
        Assert.Equal("! warning: flooding (too fast or repeating yourself); the next time you are disconnected", flooderLines[^1]);
        Assert.InRange(flooderLines.Count(l => l.StartsWith($"<{flooderName}> flood ", StringComparison.Ordinal)), 40, 45);
        await calm.SendLineAsync("still here");
        Assert.Equal($"<{calmName}> still here", await calm.ReadLineAsync());
        Assert.Equal(1, server.Members);
    }

    [Fact]
    public async Task Over_long_lines_count_against_the_rate_like_any_line()
    {
        await using var server = Start(new ChatOptions { RateLimit = 20, Burst = 40, MaxMessageBytes = 64 });
        var (flooder, flooderName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (calm, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var tooLong = new string('x', 65);

        await flooder.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(tooLong + "\n", 2000))));

        await calm.SkipUntilAsync($"-!- {flooderName} left (flooding)");
        var flooderLines = new List<string>();
        while (await flooder.TryReadLineAsync() is { } line)
        {
            flooderLines.Add(line);
        }

        // The burst is answered one error each, then the warning, then the disconnect: not 2,000 answers.
        Assert.InRange(flooderLines.Count(l => l == "! error: message longer than 64 bytes; dropped"), 40, 45);
        Assert.Equal("! warning: flooding (too fast or repeating yourself); the next time you are disconnected", flooderLines[^1]);
    }

    [Fact]
    public async Task Repeating_the_same_text_is_flooding_too()
    {
        await using var server = Start(new ChatOptions { RateLimit = 0, MaxRepeats = 5 });
        var (repeater, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);

        for (var i = 0; i < 7; i++)
        {
            await repeater.SendLineAsync("buy now");
        }

        var lines = new List<string>();
        while (await repeater.TryReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        Assert.Equal(
            [.. Enumerable.Repeat($"<{name}> buy now", 5), "! warning: flooding (too fast or repeating yourself); the next time you are disconnected"],
            lines);
    }

    [Fact]
    public async Task An_idle_member_is_evicted_and_announced_as_a_timeout()
    {
        await using var server = Start(new ChatOptions { IdleTimeout = TimeSpan.FromMilliseconds(600) });
        var (idle, idleName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (busy, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        using var done = new CancellationTokenSource();
        var keepAlive = Task.Run(async () =>
        {
            // Distinct texts: the same one over and over would be flooding.
            for (var i = 0; !done.IsCancellationRequested; i++)
            {
                await busy.SendLineAsync($"ping {i}");
                await Task.Delay(100);
            }
        });

        try
        {
            await busy.SkipUntilAsync($"-!- {idleName} left (timeout)");
            Assert.True(await idle.ReadsToEndAsync());
        }
        finally
        {
            done.Cancel();
            await keepAlive.WaitAsync(Deadline.Default);
        }
    }

    [Fact]
    public async Task A_full_server_refuses_politely()
    {
        await using var server = Start(server: new ServerOptions { MaxConnections = 1 });
        var (member, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        using var refused = await ChatTestClient.ConnectAsync(server.LocalEndPoint);

        Assert.Equal("-!- server full; try again later", await refused.ReadLineAsync());
        Assert.Null(await refused.TryReadLineAsync());
        await member.SendLineAsync("/who");
        Assert.StartsWith("-!- 1 online:", await member.ReadLineAsync());
    }

    [Fact]
    public async Task Stopping_tells_everyone_then_closes_within_2_seconds()
    {
        var server = Start();
        var members = new List<ChatTestClient>();
        for (var i = 0; i < 3; i++)
        {
            members.Add((await ChatTestClient.JoinAsync(server.LocalEndPoint)).Client);
        }

        await Deadline.UntilAsync(() => server.Members == 3, "three members");
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(2));

        foreach (var member in members)
        {
            await member.SkipUntilAsync("-!- server shutting down");
            Assert.Null(await member.TryReadLineAsync());
            member.Dispose();
        }
    }

    [Fact]
    public async Task Members_resetting_while_their_bytes_are_being_flushed_never_take_the_server_down()
    {
        // Found by the bench. Threads: a reset disposed the socket while the writer thread was about to send (the
        // process died). Async: a reset seen by the sender, then as end of stream by the receiver, left the session
        // trying forever to flush bytes nobody could take (it never left the room).
        await using var server = Start(new ChatOptions { RateLimit = 0, MaxRepeats = 0 });
        var (talker, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var flood = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} {new string('z', 60)}\n")));
        for (var round = 0; round < 5; round++)
        {
            var doomed = new List<ChatTestClient>();
            for (var i = 0; i < 30; i++)
            {
                doomed.Add(await ChatTestClient.ConnectAsync(server.LocalEndPoint, receiveBuffer: 4096));
            }

            await Deadline.UntilAsync(() => server.Members == doomed.Count + 1, "the doomed members");
            var sending = talker.SendRawAsync(flood);
            var draining = talker.SkipUntilAsync($"<{ChatNames.Default(1)}> line 1999 {new string('z', 60)}");
            foreach (var client in doomed)
            {
                client.Reset();
            }

            await sending;
            await draining;
            await Deadline.UntilAsync(() => server.Members == 1, "the reset members to leave");
        }

        var (late, lateName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await late.SendLineAsync("still serving");
        Assert.Equal($"<{lateName}> still serving", await late.ReadLineAsync());
    }
}
