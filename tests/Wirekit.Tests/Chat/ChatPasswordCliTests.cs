using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>`--password-file` on `chat serve`, `serve` and `chat join`: a bad file is one line and exit 2; join sends /pass first.</summary>
public sealed class ChatPasswordCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wirekit-chat-pass-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("chat serve")]
    [InlineData("serve")]
    public async Task A_missing_or_empty_password_file_is_one_error_line_and_exit_2(string command)
    {
        var empty = Path.Combine(_folder, "empty");
        await File.WriteAllTextAsync(empty, "\nsecond line is not the password\n");
        var missing = Path.Combine(_folder, "missing");
        string[] words = [.. command.Split(' '), "-p", "0"];
        if (command == "serve")
        {
            words = ["serve", "--echo-port", "0", "--chat-port", "0", "--file-port", "0"];
        }

        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. words, "--password-file", empty]));
        Assert.Equal((2, $"error: the password file '{empty}' is empty: its first line is the room's password\n"), (exit, error));

        (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. words, "--password-file", missing]));
        Assert.Equal((2, $"error: cannot read the password file '{missing}': no such file\n"), (exit, error));
    }

    [Fact]
    public async Task Chat_join_with_a_password_file_sends_pass_first_and_is_heard()
    {
        var file = Path.Combine(_folder, "room.pass");
        await File.WriteAllTextAsync(file, "open sesame\r\n");
        await using var server = ChatTestServer.Start(EngineKind.Async, new ServerOptions(), new ChatOptions { Password = "open sesame", JoinGrace = TimeSpan.Zero });
        using var observer = await ChatTestClient.ConnectAsync(server.LocalEndPoint);
        await observer.SendLineAsync("/pass open sesame");
        await observer.SkipUntilAsync("-!- user1 joined");

        await using var join = ChildProcess.Start(CliProcess.Command("chat", "join", server.LocalEndPoint.ToString(), "--password-file", file));
        await join.Input.WriteAsync("hello from the cli\n");
        join.Input.Close();

        Assert.Equal("-!- user2 joined", await observer.ReadLineAsync());
        Assert.Equal("<user2> hello from the cli", await observer.ReadLineAsync());
        Assert.Equal(0, await join.WaitForExitAsync(Deadline.Default));
    }
}
