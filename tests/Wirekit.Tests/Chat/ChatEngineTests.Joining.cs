using Wirekit.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>
/// Joining under a name: a newcomer's first message <c>/nick NAME</c> names its join notice; a newcomer that sends
/// nothing (nc) is announced when the join grace passes. The grace here is the suite's deadline, so only the first
/// message can decide, except in the test of the grace itself.
/// </summary>
public abstract partial class ChatEngineTests
{
    private static readonly ChatOptions WaitForTheFirstMessage = new() { JoinGrace = Deadline.Default };

    [Fact]
    public async Task A_first_line_nick_is_the_name_in_the_join_notice()
    {
        await using var server = Start(WaitForTheFirstMessage);
        using var watcher = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "watcher");
        using var newcomer = await ChatTestClient.ConnectAsync(server.LocalEndPoint);

        await newcomer.SendLineAsync("/nick \ud55c\uae00\uc774\ub984"); // 한글이름: a Unicode letter is a letter

        Assert.Equal("-!- \ud55c\uae00\uc774\ub984 joined", await watcher.ReadLineAsync());
        Assert.StartsWith("-!- welcome, you are user", await newcomer.ReadLineAsync());
        Assert.Equal("-!- \ud55c\uae00\uc774\ub984 joined", await newcomer.ReadLineAsync());
        await newcomer.SendLineAsync("hello");
        Assert.Equal("<\ud55c\uae00\uc774\ub984> hello", await watcher.ReadLineAsync());
    }

    [Fact]
    public async Task A_refused_first_nick_keeps_the_newcomer_waiting_for_a_name_it_can_have()
    {
        await using var server = Start(WaitForTheFirstMessage);
        using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
        using var newcomer = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        Assert.StartsWith("-!- welcome, you are ", await newcomer.ReadLineAsync());

        await newcomer.SendLineAsync("/nick \u0430lice"); // Cyrillic а: looks like alice, so it is alice's
        Assert.Equal("! error: the name \u0430lice is taken", await newcomer.ReadLineAsync());
        await newcomer.SendLineAsync("/nick bob");

        // The room never met the newcomer under its default name: its first notice is the join as bob.
        Assert.Equal("-!- bob joined", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task Any_other_first_message_announces_the_join_at_once_under_the_default_name()
    {
        await using var server = Start(WaitForTheFirstMessage);
        using var watcher = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "watcher");
        using var newcomer = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        var welcome = await newcomer.ReadLineAsync();
        ChatWording.TryReadWelcome(welcome, out var name);

        await newcomer.SendLineAsync("hi all");

        Assert.Equal($"-!- {name} joined", await watcher.ReadLineAsync());
        Assert.Equal($"<{name}> hi all", await watcher.ReadLineAsync());
    }

    [Fact]
    public async Task A_newcomer_that_sends_nothing_is_announced_when_the_grace_passes_and_then_hears_the_room()
    {
        await using var server = Start(new ChatOptions { JoinGrace = TimeSpan.FromMilliseconds(200) });
        using var watcher = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "watcher");
        using var lurker = await ChatTestClient.ConnectAsync(server.LocalEndPoint);

        var joined = await watcher.ReadLineAsync();
        Assert.Matches("^-!- user[0-9]+ joined$", joined);
        await lurker.SkipUntilAsync(joined);
        await watcher.SendLineAsync("for everyone");
        Assert.Equal("<watcher> for everyone", await lurker.ReadLineAsync());
    }

    [Fact]
    public async Task A_newcomer_that_leaves_before_its_join_was_announced_leaves_unannounced()
    {
        await using var server = Start(WaitForTheFirstMessage);
        using var watcher = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "watcher");
        using (var passer = await ChatTestClient.ConnectAsync(server.LocalEndPoint))
        {
            Assert.StartsWith("-!- welcome, you are ", await passer.ReadLineAsync());
        }

        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "the passer's session to end");
        await watcher.SendLineAsync("/who");
        Assert.Equal("-!- 1 online: watcher", await watcher.ReadLineAsync()); // and no join or leave before it
    }
}
