using Wirekit.Cli.Commands;

namespace Wirekit.Tests;

public sealed class SockoptCommandTests
{
    [Fact]
    public void Prints_both_protocols_buffer_sizes()
    {
        var output = new StringWriter();
        SockoptCommand.Run(output, asJson: false);
        var text = output.ToString();
        Assert.Contains("SO_SNDBUF", text);
        Assert.Contains("TCP_KEEPCNT", text);
    }
}
