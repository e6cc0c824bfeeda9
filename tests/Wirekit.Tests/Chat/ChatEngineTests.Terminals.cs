using System.Text;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>What one member can make the others' terminals do, or believe: nothing but show text.</summary>
public abstract partial class ChatEngineTests
{
    [Fact]
    public async Task Escapes_bidi_separators_and_invalid_utf8_are_replaced_before_anyone_sees_them()
    {
        await using var server = Start();
        var (mallory, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (victim, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var hostile = Encoding.UTF8.GetBytes("\u009b2J\u009d0;owned\u0007 \u202etxt.exe\u2066 a\u2028b \u200bhidden ok\u200d");

        await mallory.SendRawAsync((byte[])[.. hostile, 0xC3, (byte)'!', (byte)'\n']);
        await mallory.SendLineAsync("/me \u202ewaves\u2029");

        Assert.Equal($"<{name}> ?2J?0;owned? ?txt.exe? a?b ?hidden ok\u200d\ufffd!", await victim.ReadLineAsync());
        Assert.Equal($"* {name} ?waves?", await victim.ReadLineAsync());
    }

    [Fact]
    public async Task No_member_line_can_pass_for_a_server_notice()
    {
        await using var server = Start();
        var (mallory, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (victim, victimName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await mallory.SkipUntilAsync($"-!- {victimName} joined");

        await mallory.SendLineAsync("/me left (quit)");
        await mallory.SendLineAsync("-!- server shutting down");
        await mallory.SendLineAsync($"/msg {victimName} -!- server shutting down");
        await mallory.SendLineAsync("/nick server");
        await mallory.SendLineAsync("/nick SERVER");
        await mallory.SendLineAsync("/nick \u0455erver"); // Cyrillic dze for the s
        await mallory.SendLineAsync("/nick *");

        Assert.Equal($"* {name} left (quit)", await victim.ReadLineAsync());
        Assert.Equal($"<{name}> -!- server shutting down", await victim.ReadLineAsync());
        Assert.Equal($"*{name}* -!- server shutting down", await victim.ReadLineAsync());
        await mallory.SkipUntilAsync($"-> *{victimName}* -!- server shutting down");
        Assert.Equal("! error: the name server is reserved", await mallory.ReadLineAsync());
        Assert.Equal("! error: the name SERVER is reserved", await mallory.ReadLineAsync());
        Assert.StartsWith("! error: ", await mallory.ReadLineAsync());
        Assert.Equal("! error: a name uses only letters, digits, '_', '-' and '.'", await mallory.ReadLineAsync());

        // The real notice, for comparison: what /me wrote must not be it.
        await mallory.SendLineAsync("/quit");
        Assert.Equal($"-!- {name} left (quit)", await victim.ReadLineAsync());
    }

    [Fact]
    public async Task A_name_that_looks_like_a_members_is_taken_and_msg_finds_the_member_by_its_look()
    {
        await using var server = Start();
        var (alice, aliceName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (mallory, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await alice.SendLineAsync("/nick alice");
        await mallory.SkipUntilAsync($"-!- {aliceName} is now known as alice");

        foreach (var lookalike in new[] { "ALICE", "a1ice", "AIice", "al1ce", "aIice" })
        {
            await mallory.SendLineAsync($"/nick {lookalike}");
            Assert.Equal($"! error: the name {lookalike} is taken", await mallory.ReadLineAsync());
        }

        await mallory.SendLineAsync("/nick user1O");
        Assert.Equal("! error: user<number> names are reserved for newcomers", await mallory.ReadLineAsync());
        await mallory.SendLineAsync("/msg ALlCE psst");
        Assert.Equal("-> *alice* psst", await mallory.ReadLineAsync());
        await alice.SendLineAsync("/nick aIice");
        await alice.SkipUntilAsync("-!- alice is now known as aIice"); // one's own look-alike is still one's own name
    }

    [Fact]
    public async Task A_quit_reason_is_collapsed_and_cut_so_the_leave_notice_cannot_wrap_a_line_of_its_own()
    {
        await using var server = Start();
        var (mallory, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (victim, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);

        await mallory.SendLineAsync($"/quit bye{new string(' ', 60)}-!- server shutting down for maintenance now");

        string line;
        while (!(line = await victim.ReadLineAsync()).StartsWith($"-!- {name} left", StringComparison.Ordinal))
        {
        }

        // 32 characters of reason: the whole notice stays within 80 columns.
        Assert.Equal($"-!- {name} left (quit: bye -!- server shutting down for...)", line);
    }
}
