using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>A room with a password (<see cref="ChatOptions.Password"/>): the first line decides, and a refusal touches nobody else.</summary>
public abstract partial class ChatEngineTests
{
    private const string Secret = "s3cret pass";
    private const string WrongPasswordLine = "! error: wrong password";
    private const string PasswordRequiredLine = "! error: this room needs a password: send /pass SECRET as your first line";

    // Join grace zero by default: without the password gate a newcomer would be welcomed and announced the moment it
    // connects; with it, the moment its password passes.
    private ChatTestServer StartWithPassword(CapturingLoggerFactory? logs = null, TimeSpan? joinGrace = null)
        => ChatTestServer.Start(Engine, new ServerOptions(), new ChatOptions { Password = Secret, JoinGrace = joinGrace ?? TimeSpan.Zero }, logs);

    /// <summary>Connects, gives the password and reads up to its own join notice.</summary>
    private static async Task<ChatTestClient> PassAsync(ChatTestServer server, string name)
    {
        var client = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await client.SendLineAsync($"/pass {Secret}");
        await client.SkipUntilAsync($"-!- {name} joined");
        return client;
    }

    [Fact]
    public async Task With_a_password_a_newcomer_hears_and_is_heard_only_after_it()
    {
        await using var server = StartWithPassword();
        using var alice = await PassAsync(server, "user1");

        using var newcomer = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await Deadline.UntilAsync(() => server.ActiveSessions == 2, "the newcomer's session");
        await alice.SendLineAsync("before");
        Assert.Equal("<user1> before", await alice.ReadLineAsync());

        await newcomer.SendLineAsync($"/pass {Secret}\r");
        // Nothing came before the password: its first line is the welcome, then its join, and never "before".
        Assert.Equal("-!- welcome, you are user2; /help lists the commands", await newcomer.ReadLineAsync());
        Assert.Equal("-!- user2 joined", await newcomer.ReadLineAsync());
        Assert.Equal("-!- user2 joined", await alice.ReadLineAsync());
        await newcomer.SendLineAsync("after");
        Assert.Equal("<user2> after", await alice.ReadLineAsync());
        Assert.Equal(2, server.Members);
    }

    [Fact]
    public async Task With_a_password_the_verb_may_be_in_any_case_like_every_command()
    {
        await using var server = StartWithPassword();
        using var client = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await client.SendLineAsync($"/PASS {Secret}");
        Assert.Equal("-!- welcome, you are user1; /help lists the commands", await client.ReadLineAsync());
    }

    [Fact]
    public async Task With_a_password_the_pass_line_split_into_single_bytes_still_admits()
    {
        // A grace long enough for the /nick after it, however slowly its bytes come: the join notice then names it.
        await using var server = StartWithPassword(joinGrace: Deadline.Default);
        using var client = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        client.Socket.NoDelay = true;
        foreach (var b in Encoding.UTF8.GetBytes($"/pass {Secret}\n/nick bob\n"))
        {
            await client.SendRawAsync(new[] { b });
        }

        Assert.Equal("-!- welcome, you are user1; /help lists the commands", await client.ReadLineAsync());
        Assert.Equal("-!- bob joined", await client.ReadLineAsync());
    }

    [Theory]
    [InlineData("/pass s3cret pasS", WrongPasswordLine)]
    [InlineData("/pass s3cret pass ", WrongPasswordLine)]
    [InlineData("/pass", WrongPasswordLine)]
    [InlineData("/nick mallory", PasswordRequiredLine)]
    [InlineData("hello everyone", PasswordRequiredLine)]
    [InlineData("/PASS s3cret pasS", WrongPasswordLine)]
    [InlineData("/password s3cret pass", PasswordRequiredLine)]
    public async Task With_a_password_any_other_first_line_gets_one_error_and_is_closed_and_the_room_goes_on(string firstLine, string error)
    {
        var logs = new CapturingLoggerFactory();
        await using var server = StartWithPassword(logs);
        using var alice = await PassAsync(server, "user1");

        using var mallory = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await mallory.SendLineAsync(firstLine + "\nsecond line");
        Assert.Equal(error, await mallory.ReadLineAsync());
        Assert.Null(await mallory.TryReadLineAsync()); // closed after its one line
        await Deadline.UntilAsync(() => server.ActiveSessions == 1, "mallory's session to end");

        // Nobody heard of mallory: alice's next line is her own message, and she is alone.
        await alice.SendLineAsync("/who");
        Assert.Equal("-!- 1 online: user1", await alice.ReadLineAsync());
        Assert.Single(logs.Lines, line => line.Event.Id == 110);
    }

    [Fact]
    public async Task With_a_password_refusals_are_logged_once_per_address_and_each_is_closed()
    {
        var logs = new CapturingLoggerFactory();
        await using var server = StartWithPassword(logs);
        for (var i = 0; i < 5; i++)
        {
            using var guesser = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
            await guesser.SendLineAsync($"/pass guess{i}");
            Assert.Equal(WrongPasswordLine, await guesser.ReadLineAsync());
            Assert.Null(await guesser.TryReadLineAsync());
        }

        Assert.Single(logs.Lines, line => line.Event.Id == 110);
        Assert.Equal(0, server.Members);
    }

    [Fact]
    public void An_empty_password_is_refused_when_the_room_is_made()
        => Assert.Throws<ArgumentException>(() => new ChatService(new ChatOptions { Password = "" }));
}
