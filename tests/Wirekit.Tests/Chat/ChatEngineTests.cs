using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>The chat's behaviour, written once and run on the threads, select and async engines by the subclasses at the end.</summary>
public abstract partial class ChatEngineTests(EngineKind engine)
{
    protected EngineKind Engine { get; } = engine;

    [Fact]
    public async Task Broadcast_reaches_200_clients_in_one_order_with_each_senders_order_kept()
    {
        const int clientCount = 200, senders = 5, perSender = 20;
        await using var server = Start(new ChatOptions { RateLimit = 0 }, new ServerOptions { Backlog = 1024 });
        var clients = new List<ChatTestClient>();
        try
        {
            for (var i = 0; i < clientCount; i++)
            {
                clients.Add(await ChatTestClient.ConnectAsync(server.LocalEndPoint));
            }

            await Deadline.UntilAsync(() => server.Members == clientCount, $"{clientCount} members");
            await Task.WhenAll(clients.Take(senders).Select(async (sender, s) =>
            {
                for (var m = 0; m < perSender; m++)
                {
                    await sender.SendLineAsync($"s{s} m{m}");
                }
            }));

            var seen = await Task.WhenAll(clients.Select(client => ReadMessagesAsync(client, senders * perSender)));

            foreach (var lines in seen)
            {
                Assert.Equal(seen[0], lines);
            }

            for (var s = 0; s < senders; s++)
            {
                var mine = seen[0].Select(line => line[(line.IndexOf("> ", StringComparison.Ordinal) + 2)..]).Where(text => text.StartsWith($"s{s} ", StringComparison.Ordinal));
                Assert.Equal(Enumerable.Range(0, perSender).Select(m => $"s{s} m{m}"), mine);
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task Nul_and_newline_clients_share_a_room_and_each_receives_its_own_style()
    {
        await using var server = Start();
        var (nul, nulName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (line, lineName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await nul.SkipUntilAsync($"-!- {lineName} joined");
        Assert.Equal((byte)'\n', nul.LastTerminator); // it has sent nothing yet: newline style

        await nul.SendLineAsync("hello from C", '\0');
        Assert.Equal($"<{nulName}> hello from C", await line.ReadLineAsync());
        Assert.Equal((byte)'\n', line.LastTerminator);
        Assert.Equal($"<{nulName}> hello from C", await nul.ReadLineAsync());
        Assert.Equal(0, nul.LastTerminator);

        await line.SendLineAsync("hello from nc\r");
        Assert.Equal($"<{lineName}> hello from nc", await nul.ReadLineAsync());
        Assert.Equal(0, nul.LastTerminator);
    }

    [Fact]
    public async Task Input_sent_one_byte_at_a_time_frames_the_same()
    {
        await using var server = Start();
        var (slow, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (watcher, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);

        foreach (var b in Encoding.UTF8.GetBytes("/nick alice\r\nhello, w\u00f6rld\n"))
        {
            await slow.SendRawAsync(new[] { b });
        }

        Assert.Equal($"-!- {name} is now known as alice", await watcher.ReadLineAsync());
        Assert.Equal("<alice> hello, w\u00f6rld", await watcher.ReadLineAsync());
    }

    [Fact]
    public async Task Commands_who_msg_me_help_quit_and_slash_escape()
    {
        await using var server = Start(new ChatOptions { Motd = "be kind" });
        using var alice = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("-!- welcome, you are user1; /help lists the commands", await alice.ReadLineAsync());
        Assert.Equal("-!- motd: be kind", await alice.ReadLineAsync());
        Assert.Equal("-!- user1 joined", await alice.ReadLineAsync());
        await alice.SendLineAsync("/nick alice");
        Assert.Equal("-!- user1 is now known as alice", await alice.ReadLineAsync());
        var (bob, bobName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await bob.SendLineAsync("/nick bob");
        await bob.SkipUntilAsync($"-!- {bobName} is now known as bob");

        await bob.SendLineAsync("/who");
        Assert.Equal("-!- 2 online: alice, bob", await bob.ReadLineAsync());
        await bob.SendLineAsync("/msg alice psst");
        Assert.Equal("-> *alice* psst", await bob.ReadLineAsync());
        await alice.SkipUntilAsync("*bob* psst");
        await bob.SendLineAsync("/msg carol hi");
        Assert.Equal("! error: nobody here is called carol", await bob.ReadLineAsync());
        await bob.SendLineAsync("/me waves");
        Assert.Equal("* bob waves", await bob.ReadLineAsync());
        await bob.SendLineAsync("//slash");
        Assert.Equal("<bob> /slash", await bob.ReadLineAsync());
        await bob.SendLineAsync("/dance");
        Assert.Equal("! error: unknown command /dance; /help lists the commands", await bob.ReadLineAsync());
        await bob.SendLineAsync("/help");
        Assert.Equal("-!- commands:", await bob.ReadLineAsync());
        await bob.SkipUntilAsync("-!-   //text          say text that starts with a slash");

        await bob.SendLineAsync("/quit bye all");
        Assert.True(await bob.ReadsToEndAsync());
        Assert.Equal(["* bob waves", "<bob> /slash"], await alice.SkipUntilAsync("-!- bob left (quit: bye all)"));
        await Deadline.UntilAsync(() => server.Members == 1, "bob to leave");
    }

    [Fact]
    public async Task Names_are_unique_ignoring_case_and_user_numbers_are_reserved()
    {
        await using var server = Start();
        var (alice, aliceName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (bob, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await alice.SendLineAsync("/nick alice");
        await bob.SkipUntilAsync($"-!- {aliceName} is now known as alice");

        await bob.SendLineAsync("/nick ALICE");
        Assert.Equal("! error: the name ALICE is taken", await bob.ReadLineAsync());
        await bob.SendLineAsync("/nick user99");
        Assert.Equal("! error: user<number> names are reserved for newcomers", await bob.ReadLineAsync());
        await bob.SendLineAsync("/nick bad name!");
        Assert.Equal("! error: a name uses only letters, digits, '_', '-' and '.'", await bob.ReadLineAsync());
        await alice.SendLineAsync("/nick Alice");
        Assert.Equal("-!- alice is now known as Alice", await bob.ReadLineAsync());
    }

    [Fact]
    public async Task An_over_long_message_gets_an_error_and_the_session_lives_on()
    {
        await using var server = Start(new ChatOptions { MaxMessageBytes = 4096 });
        var (client, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);

        await client.SendLineAsync(new string('x', 4097));
        Assert.Equal("! error: message longer than 4096 bytes; dropped", await client.ReadLineAsync());
        await client.SendLineAsync(new string('y', 4096));
        Assert.Equal($"<{name}> {new string('y', 4096)}", await client.ReadLineAsync());
    }

    [Fact]
    public async Task No_echo_sender_sends_to_everyone_but_the_sender()
    {
        await using var server = Start(new ChatOptions { EchoSender = false });
        var (sender, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (other, otherName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await sender.SkipUntilAsync($"-!- {otherName} joined");

        await sender.SendLineAsync("one");
        await sender.SendLineAsync("/who");
        Assert.StartsWith("-!- 2 online:", await sender.ReadLineAsync());
        Assert.Equal($"<{name}> one", await other.ReadLineAsync());
    }

    private ChatTestServer Start(ChatOptions? chat = null, ServerOptions? server = null)
        => ChatTestServer.Start(Engine, server ?? new ServerOptions(), WithTestJoinGrace(chat));

    /// <summary>
    /// Tests that do not choose a join grace get a short one: a newcomer that sends nothing is still announced by the
    /// room's arrival timer, as on a real server, without every join in the suite waiting the default half second.
    /// </summary>
    private static ChatOptions WithTestJoinGrace(ChatOptions? chat)
    {
        var options = chat ?? new ChatOptions();
        return options.JoinGrace == new ChatOptions().JoinGrace ? options with { JoinGrace = TimeSpan.FromMilliseconds(50) } : options;
    }

    /// <summary>Reads <paramref name="count"/> chat messages (lines starting with '&lt;'), skipping notices.</summary>
    private static async Task<List<string>> ReadMessagesAsync(ChatTestClient client, int count)
    {
        var messages = new List<string>(count);
        while (messages.Count < count)
        {
            var line = await client.ReadLineAsync();
            if (line.StartsWith('<'))
            {
                messages.Add(line);
            }
        }

        return messages;
    }
}

public sealed class ThreadsChatTests() : ChatEngineTests(EngineKind.Threads);

public sealed class SelectChatTests() : ChatEngineTests(EngineKind.Select);

public sealed class AsyncChatTests() : ChatEngineTests(EngineKind.Async);
