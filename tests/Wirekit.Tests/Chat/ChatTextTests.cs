using System.Text;
using Wirekit.Chat;

namespace Wirekit.Tests.Chat;

public sealed class ChatTextTests
{
    [Theory]
    [InlineData("plain ascii\twith a tab", "plain ascii\twith a tab")]
    [InlineData("bell\u0007 escape\u001b[2J del\u007f", "bell? escape?[2J del?")]
    [InlineData("csi\u009b31m osc\u009d0;title nel\u0085", "csi?31m osc?0;title nel?")]
    [InlineData("bidi \u202eexe.gpj\u202c \u2066iso\u2069 \u200fmark \u061carabic", "bidi ?exe.gpj? ?iso? ?mark ?arabic")]
    [InlineData("line\u2028para\u2029", "line?para?")]
    [InlineData("zero\u200bwidth \ufeffbom soft\u00adhyphen word\u2060joiner", "zero?width ?bom soft?hyphen word?joiner")]
    [InlineData("tag\U000E0041\U000E007F", "tag??")]
    [InlineData("한글 w\u00f6rld \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001F468\u200D\U0001F469 e\u0301", "한글 w\u00f6rld \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001F468\u200D\U0001F469 e\u0301")]
    public void Replaces_what_drives_or_fools_a_terminal_and_keeps_every_script(string input, string shown)
    {
        var bytes = Encoding.UTF8.GetBytes(input);

        Assert.Equal(shown, ChatText.Clean(bytes));
        Assert.Equal(input == shown, ChatText.IsClean(bytes));
        var buffer = new byte[ChatText.MaxCleanedLength(bytes.Length)];
        Assert.Equal(Encoding.UTF8.GetBytes(shown), buffer.AsSpan(0, ChatText.Clean(bytes, buffer)).ToArray());
    }

    [Fact]
    public void Invalid_utf8_becomes_one_replacement_character_per_bad_sequence()
    {
        // A lone continuation byte, a lead byte cut short by ASCII, an overlong '/', a surrogate, and a cut-off end.
        byte[] input = [(byte)'a', 0x80, (byte)'b', 0xE2, 0x82, (byte)'c', 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98];

        var shown = ChatText.Clean(input);

        Assert.Equal("a\ufffdb\ufffdc\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd", shown);
        Assert.False(ChatText.IsClean(input));
        var buffer = new byte[ChatText.MaxCleanedLength(input.Length)];
        Assert.Equal(Encoding.UTF8.GetBytes(shown), buffer.AsSpan(0, ChatText.Clean(input, buffer)).ToArray());
    }
}
