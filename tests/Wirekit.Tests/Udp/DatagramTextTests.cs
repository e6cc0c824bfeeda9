using Wirekit.Udp;

namespace Wirekit.Tests.Udp;

public sealed class DatagramTextTests
{
    [Fact]
    public void Text_with_the_seeds_trailing_nul_is_text()
    {
        var payload = "hello\0"u8;
        Assert.True(DatagramText.LooksLikeText(payload));
        Assert.Equal("hello", DatagramText.AsText(payload));
    }

    [Fact]
    public void Control_bytes_or_invalid_utf8_mean_binary()
    {
        Assert.False(DatagramText.LooksLikeText([0x01, 0x41]));
        Assert.False(DatagramText.LooksLikeText([0xC3, 0x28]));
    }

    [Fact]
    public void The_hex_dump_has_offset_bytes_and_ascii_columns()
    {
        var dump = DatagramText.HexDump("0123456789abcdefXY"u8);

        var lines = dump.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|", lines[0]);
        Assert.StartsWith("00000010  58 59 ", lines[1]);
        Assert.EndsWith("|XY|", lines[1]);
    }
}
