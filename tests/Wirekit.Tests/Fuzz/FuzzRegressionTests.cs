using System.Net;
using Wirekit.Diagnostics;
using Wirekit.Diagnostics.Ftp;

namespace Wirekit.Tests.Fuzz;

/// <summary>
/// The defects the fuzz harnesses found, each at the parser's own API. Their inputs are also in fuzz/corpus/*/crash-*,
/// which <see cref="CorpusReplayTests"/> replays through the harnesses.
/// </summary>
public sealed class FuzzRegressionTests
{
    private const string ListenLine = "   0: 0100007F:61A8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 123456 1";

    [Fact]
    public void A_proc_net_state_that_reads_as_negative_is_shown_in_hex_not_thrown()
    {
        // "FFFFFFFF" parsed as int was -1, which passed `< TcpStates.Length` and indexed the array at -1.
        Assert.True(ProcNetParser.TryParseLine("tcp", ListenLine.Replace(" 0A ", " FFFFFFFF "), out var entry));
        Assert.Equal("0xFFFFFFFF", entry!.State);
    }

    [Theory]
    [InlineData("0100007F:1F9\0")]
    [InlineData("0100007F:1F9\t")]
    [InlineData("0100007F:\t1F9")]
    [InlineData("0100007\0:1F90")]
    public void A_proc_net_address_is_hex_digits_only(string text)
    {
        // uint.TryParse takes trailing NULs in any style, and whitespace with HexNumber: fields the kernel never prints.
        Assert.False(ProcNetParser.TryParseEndPoint(text, out _));
    }

    [Fact]
    public void A_pasv_reply_with_another_script_s_digits_is_refused_not_thrown()
    {
        // \d matched U+0663 ARABIC-INDIC DIGIT THREE, and int.Parse then threw FormatException out of the parser.
        Assert.False(PassiveReply.TryParse("Entering Passive Mode (127,0,0,1,39,\u0663).", IPAddress.Loopback, out var endPoint));
        Assert.Null(endPoint);
    }
}
