using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;

namespace Wirekit.Tests.Cli;

/// <summary>
/// Issue 10 §1, across commands: every network client meets every failure class (refused, unreachable, a name
/// that does not resolve, a server that closes mid-way) with exactly one `error:` line on stderr and exit 1:
/// never a stack trace, never a silent exit. Each command's own tests assert its exact wording; this suite makes
/// sure no command is left out. (file list/get/send: Transfer/FileCliErrorTests, with disk classes too.)
/// </summary>
public sealed class FailureClassTests
{
    public static TheoryData<string> Clients => ["echo connect", "chat join", "http get", "ftp list", "bench echo", "bench connections"];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Refused(string client)
        => await AssertOneErrorLineAsync(client, "127.0.0.1", ExternalServer.FreePort());

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Unreachable(string client)
        => await AssertOneErrorLineAsync(client, "255.255.255.255", 25000); // TCP to limited broadcast: ENETUNREACH at once

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_name_that_does_not_resolve(string client)
        => await AssertOneErrorLineAsync(client, "no-such-host.invalid", 25000); // .invalid never resolves (RFC 6761)

    [Theory]
    [InlineData("echo connect")]
    [InlineData("chat join")]
    [InlineData("http get")]
    [InlineData("ftp list")]
    [InlineData("bench echo")]
    public async Task The_server_closes_mid_way(string client)
    {
        // Accepts, reads what the client says first (if anything), then resets: the peer went away mid-way.
        await using var closing = new ScriptedServer(async peer =>
        {
            peer.ReceiveTimeout = 200;
            try
            {
                await peer.ReceiveAsync(new byte[16].AsMemory()).AsTask().WaitAsync(TimeSpan.FromMilliseconds(500));
            }
            catch (TimeoutException)
            {
                // a client that waits for the server to speak first
            }

            peer.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            peer.Close();
        });
        await AssertOneErrorLineAsync(client, "127.0.0.1", closing.Port);
    }

    [Fact]
    public async Task Dns_to_a_server_that_refuses_is_one_error_line()
        => await AssertOneErrorLineAsync("dns", "127.0.0.1", ExternalServer.FreePort());

    private static async Task AssertOneErrorLineAsync(string client, string host, int port)
    {
        string[] arguments = client switch
        {
            "echo connect" => ["echo", "connect", $"{host}:{port}"],
            "chat join" => ["chat", "join", $"{host}:{port}", "--name", "probe"],
            "http get" => ["http", "get", $"http://{host}:{port}/", "--timeout", "5"],
            "ftp list" => ["ftp", "list", $"ftp://{host}:{port}/", "--idle-timeout", "5"],
            "bench echo" => ["bench", "echo", $"{host}:{port}", "-c", "1", "-t", "1"],
            "bench connections" => ["bench", "connections", $"{host}:{port}", "-n", "1"],
            "dns" => ["dns", "example.test", "--server", $"{host}:{port}", "--timeout", "2"],
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };

        // stdin carries one line, for the clients that send what they read (echo connect, chat join).
        var line = string.Join(' ', CliProcess.Command(arguments).Select(a => $"'{a}'"));
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, ["sh", "-c", $"printf 'hello\\n' | {line}"]);

        var lines = error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.True(exit == 1 && lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal),
            $"{client} against {host}:{port}: exit {exit}, stderr:\n{error}\nstdout:\n{output}");
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
    }
}
