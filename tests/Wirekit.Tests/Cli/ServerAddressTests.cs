using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;

namespace Wirekit.Tests.Cli;

/// <summary>`[host[:port]]`, the one address convention every client takes.</summary>
public sealed class ServerAddressTests
{
    [Theory]
    [InlineData(new string[0], "127.0.0.1", 25000)]
    [InlineData(new[] { "example.org" }, "example.org", 25000)]
    [InlineData(new[] { "example.org:7" }, "example.org", 7)]
    [InlineData(new[] { "example.org", "7" }, "example.org", 7)]
    [InlineData(new[] { "[::1]:25001" }, "::1", 25001)]
    [InlineData(new[] { "[::1]" }, "::1", 25000)]
    [InlineData(new[] { "::1" }, "::1", 25000)]
    [InlineData(new[] { "fe80::1", "9" }, "fe80::1", 9)]
    public void Every_form_reads_as_host_and_port(string[] words, string host, int port)
        => Assert.Equal(new ServerAddress(host, port), ServerAddress.Read(words, 25000));

    [Theory]
    [InlineData(new[] { "" }, "empty address")]
    [InlineData(new[] { ":25000" }, "':25000': missing host")]
    [InlineData(new[] { "host:0" }, "'host:0': port 0 cannot be connected to (1-65535)")]
    [InlineData(new[] { "host:http" }, "'host:http': port must be a number from 0 to 65535")]
    [InlineData(new[] { "host", "70000" }, "'70000' is not a port (1-65535)")]
    [InlineData(new[] { "[::1" }, "'[::1': missing ']' after an IPv6 address")]
    [InlineData(new[] { "[host]:1" }, "'[host]:1': only an IPv6 address goes in brackets")]
    [InlineData(new[] { "host:7", "8" }, "'host:7' already names a port; drop '8' or write host 8")]
    public void A_malformed_address_is_a_usage_error_that_says_why(string[] words, string message)
    {
        var failure = Assert.Throws<CommandFailure>(() => ServerAddress.Read(words, 25000));
        Assert.Equal(message, failure.Message);
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("example.org:25002", true)]
    [InlineData("[::1]", true)]
    [InlineData("big.bin", false)]
    [InlineData("notes", false)]
    public void A_word_reads_as_a_server_when_it_can_only_be_one(string word, bool server)
        => Assert.Equal(server, ServerAddress.LooksLikeServer(word));

    [Fact]
    public void IPv6_is_shown_in_brackets_as_people_type_it()
    {
        Assert.Equal("[::1]:25000", new ServerAddress("::1", 25000).ToString());
        Assert.Equal("127.0.0.1:25000", new ServerAddress("127.0.0.1", 25000).ToString());
    }
}
