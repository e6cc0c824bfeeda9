using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Access;

/// <summary>The four options as a person meets them on every server command: usage errors with the reason, and a real refusal.</summary>
public sealed class AccessCliTests
{
    private const int SigTerm = 15;

    public static TheoryData<string[]> ServerCommands() => new()
    {
        new[] { "echo", "serve" },
        new[] { "chat", "serve" },
        new[] { "file", "serve", "--root", Path.GetTempPath() },
        new[] { "serve" },
    };

    [Theory]
    [MemberData(nameof(ServerCommands))]
    public async Task A_mistyped_block_is_a_usage_error_with_the_reason(string[] command)
    {
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. command, "--allow", "127.0.0.1", "--deny", "10.0.0.1/24"]));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var name = command[0] == "serve" ? "serve" : $"{command[0]} serve";
        Assert.Equal($"error: --deny '10.0.0.1/24' has host bits set: the /24 block is 10.0.0.0/24 (see wirekit {name} --help)", error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("--max-per-ip", "-1", "error: --max-per-ip: -1 is not a number of connections (0 or more; 0 means no limit) (see wirekit echo serve --help)")]
    [InlineData("--handshake-timeout", "-2", "error: --handshake-timeout: -2 is not a number of seconds (0 or more) (see wirekit echo serve --help)")]
    public async Task A_negative_count_or_timeout_is_a_usage_error(string option, string value, string expected)
    {
        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command("echo", "serve", option, value));

        Assert.Equal(2, exit);
        Assert.Equal(expected, error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("chat", "serve", "--port", "0")]
    [InlineData("serve", "--echo-port", "0", "--chat-port", "0", "--file-port", "0")]
    public async Task A_denied_chat_client_hears_why_and_the_server_logs_it_once(params string[] command)
    {
        using var cli = CliProcess.Start([.. command, "--deny", "127.0.0.2"]);
        var port = await cli.WaitForListeningPortAsync("chat");
        var chat = new IPEndPoint(IPAddress.Loopback, port);
        for (var i = 0; i < 3; i++)
        {
            using var denied = await SourceAddress.ConnectAsync(SourceAddress.Second, chat);
            Assert.Equal("-!- your address is not allowed on this server\n", Encoding.UTF8.GetString(await SourceAddress.ReadToEndAsync(denied)));
        }

        cli.SendSignal(SigTerm);
        Assert.Equal(0, await cli.WaitForExitAsync(Deadline.Default));
        Assert.Single(Regex.Matches(cli.Output, @"refused 127\.0\.0\.2: its address is not allowed here \(--allow/--deny\) \(0 more refusals of this address not logged before this one\)"));
    }
}
