using System.Buffers;
using System.Net;
using System.Text;
using Wirekit.Diagnostics.Ftp;

namespace Wirekit.Tests.Diagnostics;

public sealed class FtpProtocolTests
{
    [Fact]
    public void A_single_line_reply_parses_and_reports_what_it_consumed()
    {
        var bytes = "220 (vsFTPd 3.0.3)\r\n331 next"u8;

        Assert.Equal(OperationStatus.Done, FtpReplyParser.TryParse(bytes, out var reply, out var consumed));
        Assert.Equal(220, reply!.Code);
        Assert.Equal("(vsFTPd 3.0.3)", reply.Text);
        Assert.Equal(20, consumed);
    }

    [Fact]
    public void A_multi_line_reply_ends_only_at_its_own_code_and_a_space()
    {
        var bytes = "211-Features:\r\n EPSV\r\n211-not the end\r\n211 End\r\n"u8;

        Assert.Equal(OperationStatus.Done, FtpReplyParser.TryParse(bytes, out var reply, out var consumed));
        Assert.Equal(211, reply!.Code);
        Assert.Equal("Features:\n EPSV\n211-not the end\nEnd", reply.Text);
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("220 partial")]
    [InlineData("211-start\r\n more\r\n")]
    public void An_incomplete_reply_needs_more_data(string text)
        => Assert.Equal(OperationStatus.NeedMoreData, FtpReplyParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out _));

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("22x hello\r\n")]
    [InlineData("2200 hello\r\n")]
    public void Something_that_is_not_FTP_is_invalid(string text)
        => Assert.Equal(OperationStatus.InvalidData, FtpReplyParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out _));

    [Fact]
    public void An_endless_reply_is_refused_at_the_bound()
    {
        var flood = Encoding.ASCII.GetBytes("211-" + new string('x', FtpReplyParser.MaxReplyBytes));
        Assert.Equal(OperationStatus.InvalidData, FtpReplyParser.TryParse(flood, out _, out _));
    }

    [Fact]
    public void Passive_replies_give_the_data_port_on_the_control_connections_host()
    {
        var control = IPAddress.Loopback;

        Assert.True(PassiveReply.TryParseExtended("Entering Extended Passive Mode (|||41234|)", control, out var extended));
        Assert.Equal(new IPEndPoint(control, 41234), extended);
        // The address in a 227 is ignored (NAT, FTP bounce); only the port is taken.
        Assert.True(PassiveReply.TryParse("Entering Passive Mode (10,9,8,7,161,18).", control, out var legacy));
        Assert.Equal(new IPEndPoint(control, 161 * 256 + 18), legacy);
        Assert.False(PassiveReply.TryParse("Entering Passive Mode (10,9,8,7,300,18).", control, out _));
    }

    [Fact]
    public void Urls_carry_credentials_port_and_a_path_relative_to_the_login_directory()
    {
        Assert.True(FtpUrl.TryParse("ftp://bob:s%40cret@example.test:2121/pub/file.bin", out var url, out _));
        Assert.Equal(new FtpUrl("example.test", 2121, "bob", "s@cret", "pub/file.bin"), url);
        Assert.Equal("file.bin", url!.FileName);

        Assert.True(FtpUrl.TryParse("ftp://127.0.0.1/", out var anonymous, out _));
        Assert.Equal(("anonymous", 21, ""), (anonymous!.User, anonymous.Port, anonymous.Path));

        Assert.False(FtpUrl.TryParse("http://example.test/", out _, out _));
        Assert.False(FtpUrl.TryParse("ftp://h/a%0D%0ADELE%20x", out _, out var error));
        Assert.Contains("line breaks", error);
    }

    /// <summary>
    /// The control channel re-parses everything buffered after each receive: a reply trickled one byte at a time must
    /// not be decoded once per byte. Before the fix a 15 KiB reply sent so cost 16 K decodings of all its lines so far
    /// (about 500 MB of strings, ~1 s of CPU: afl's "hangs"); now the lines are decoded once, when the reply is whole.
    /// Measured in bytes allocated, which no load can change.
    /// </summary>
    [Fact]
    public void A_reply_trickled_byte_by_byte_is_decoded_once()
    {
        var lines = Enumerable.Range(0, 300).Select(i => $"line {i} of a long help text, with some words in it");
        var bytes = Encoding.ASCII.GetBytes("214-The following commands are recognized.\r\n" + string.Join("\r\n", lines) + "\r\n214 Help OK.\r\n");
        Assert.True(bytes.Length < FtpReplyParser.MaxReplyBytes);

        FtpReply? reply = null;
        var waited = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var length = 1; length < bytes.Length; length++)
        {
            // No Assert in the loop: the assertion library's own allocations would be counted.
            waited += FtpReplyParser.TryParse(bytes.AsSpan(0, length), out _, out _) == OperationStatus.NeedMoreData ? 1 : 0;
        }

        var last = FtpReplyParser.TryParse(bytes, out reply, out var consumed);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(bytes.Length - 1, waited);
        Assert.Equal((OperationStatus.Done, bytes.Length), (last, consumed));
        Assert.Equal(302, reply!.Text.Split('\n').Length);
        Assert.EndsWith("\nHelp OK.", reply.Text);
        Assert.True(allocated < 16 * bytes.Length, $"{allocated:N0} bytes allocated to parse a {bytes.Length:N0}-byte reply");
    }
}
