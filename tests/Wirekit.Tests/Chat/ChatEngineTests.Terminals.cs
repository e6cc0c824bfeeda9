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
}
