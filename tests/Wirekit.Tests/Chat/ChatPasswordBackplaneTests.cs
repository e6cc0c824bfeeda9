using Wirekit.Tests.Backplane;

namespace Wirekit.Tests.Chat;

/// <summary>A room with a password across two nodes: the join is only submitted to the channel after the password.</summary>
public sealed class ChatPasswordBackplaneTests : IAsyncLifetime
{
    private const string Secret = "two nodes";
    private readonly InProcessPeer _peer = new();

    public Task InitializeAsync() => _peer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task A_newcomer_on_another_node_is_met_only_after_its_password_and_a_wrong_one_is_never_heard_of()
    {
        await using var a = await BackplaneTestNode.StartAsync(_peer, "a", password: Secret);
        await using var b = await BackplaneTestNode.StartAsync(_peer, "b", password: Secret);
        using var alice = await ChatTestClient.ConnectAsync(a.EndPoint);
        await alice.SendLineAsync($"/pass {Secret}\n/nick alice");
        await alice.SkipUntilAsync("-!- alice joined");

        using (var mallory = await ChatTestClient.ConnectAsync(b.EndPoint))
        {
            await mallory.SendLineAsync("/nick alice");
            Assert.Equal("! error: this room needs a password: send /pass SECRET as your first line", await mallory.ReadLineAsync());
            Assert.Null(await mallory.TryReadLineAsync());
        }

        using var bob = await ChatTestClient.ConnectAsync(b.EndPoint);
        await bob.SendLineAsync($"/pass {Secret}\n/nick bob");
        await bob.SkipUntilAsync("-!- bob joined");
        // alice's next line on node a is bob's join: nothing about mallory came through the channel before it.
        Assert.Equal("-!- bob joined", await alice.ReadLineAsync());
        await bob.SendLineAsync("hi from b");
        Assert.Equal("<bob> hi from b", await alice.ReadLineAsync());
    }
}
