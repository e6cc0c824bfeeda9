using System.Text;
using Wirekit.Diagnostics;

namespace Wirekit.Tests.Diagnostics;

public sealed class ResponseHeadTests
{
    private const string Head = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1 (Debian)\r\ncontent-TYPE: text/plain\r\nX-Folded: first\n  second\r\n\r\n";

    [Fact]
    public void The_end_is_found_whatever_the_split()
    {
        var bytes = Encoding.Latin1.GetBytes(Head + "body");
        for (var split = 1; split < bytes.Length; split++)
        {
            // As the tap searches: first the bytes up to the split, then all, resuming three bytes back.
            var early = ResponseHead.EndOf(bytes.AsSpan(0, split), 0);
            var end = early >= 0 ? early : ResponseHead.EndOf(bytes, Math.Max(0, split - 3));
            Assert.Equal(Head.Length, end);
        }
    }

    [Fact]
    public void Lines_stay_as_sent_and_fields_unfold()
    {
        var head = ResponseHead.Parse(Encoding.Latin1.GetBytes(Head));

        Assert.Equal(200, head.Status);
        Assert.Equal(["HTTP/1.1 200 OK", "Server: nginx/1.22.1 (Debian)", "content-TYPE: text/plain", "X-Folded: first", "  second"], head.Lines);
        Assert.Equal(
            [new("Server", "nginx/1.22.1 (Debian)"), new("content-TYPE", "text/plain"), new KeyValuePair<string, string>("X-Folded", "first second")],
            head.Fields);
    }

    [Fact]
    public void Bare_LF_lines_end_a_head_too()
    {
        Assert.Equal(19, ResponseHead.EndOf("HTTP/1.0 204 None\n\nx"u8, 0));
    }
}
