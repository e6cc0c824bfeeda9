using Wirekit.Tests.Infrastructure;
using Wirekit.Cli.Commands;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

public sealed class FileCommandTests
{
    [Theory]
    [InlineData(new[] { "a.bin" }, "127.0.0.1", 25002, new[] { "a.bin" })]
    [InlineData(new[] { "example.org", "26000", "a.bin", "b.bin" }, "example.org", 26000, new[] { "a.bin", "b.bin" })]
    [InlineData(new[] { "a.bin", "b.bin" }, "127.0.0.1", 25002, new[] { "a.bin", "b.bin" })]
    [InlineData(new[] { "host", "99999", "a.bin" }, "127.0.0.1", 25002, new[] { "host", "99999", "a.bin" })]
    public void Get_arguments_name_a_server_only_when_a_port_follows_the_host(string[] words, string host, int port, string[] names)
    {
        var (actualHost, actualPort, actualNames) = FileCommand.SplitGetArguments(words);
        Assert.Equal((host, port), (actualHost, actualPort));
        Assert.Equal(names, actualNames);
    }

    [Fact]
    public async Task List_and_get_print_plain_results()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("data.bin", 500_000);
        var output = new StringWriter();
        Assert.Equal(0, await FileCommand.ListAsync(output, TextWriter.Null, server.Client(), asJson: false, CancellationToken.None).WaitAsync(Deadline.Default));
        Assert.Contains("data.bin", output.ToString());
        Assert.Contains(FileServerScope.Hash(Path.Join(server.Root, "data.bin")).ToString("x32"), output.ToString());

        output = new StringWriter();
        var errors = new StringWriter();
        var code = await FileCommand.GetAsync(output, errors, server.Client(), ["data.bin", "missing"], server.Downloads, asJson: true, FileProgressDisplay.Plain, CancellationToken.None)
            .WaitAsync(Deadline.Default);
        Assert.Equal(1, code);
        Assert.Contains("\"verified\": true", output.ToString());
        Assert.Contains("NotFound", output.ToString());
        Assert.StartsWith("error: ", errors.ToString());
        Assert.Contains("NotFound", errors.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(server.Downloads, "data.bin")));
    }

    [Fact]
    public void Default_root_is_an_empty_folder_outside_home_and_cwd()
    {
        var root = FileServerDefaults.CreateDefaultRoot();
        Assert.True(Directory.Exists(root));
        Assert.NotEqual(Path.GetFullPath(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), Path.GetFullPath(root));
        Assert.NotEqual(Path.GetFullPath(Environment.CurrentDirectory), Path.GetFullPath(root));
    }
}
