using System.CommandLine;
using System.Text.Json;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>The command line as a person mistypes it: one `error:` line, exit 2, before anything touches the network.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("file list --timout 3", "error: unrecognized option '--timout'; did you mean --idle-timeout? (see wirekit file list --help)")]
    [InlineData("echo connect --bogus", "error: unrecognized option '--bogus' (see wirekit echo connect --help)")]
    [InlineData("dns --bogus", "error: unrecognized option '--bogus' (see wirekit dns --help)")]
    [InlineData("file get --bogus small.txt", "error: unrecognized option '--bogus' (see wirekit file get --help)")]
    [InlineData("file lsit", "error: unrecognized command 'lsit'; did you mean 'list'? (see wirekit file --help)")]
    [InlineData("echo conect", "error: unrecognized command 'conect'; did you mean 'connect'? (see wirekit echo --help)")]
    [InlineData("bench echo --seconds abc", "error: --seconds: 'abc' is not a number (see wirekit bench echo --help)")]
    [InlineData("ports --port abc", "error: --port: 'abc' is not a whole number (see wirekit ports --help)")]
    [InlineData("echo serve --port 70000", "error: --port: 70000 is not a port (0-65535; 0 picks a free one) (see wirekit echo serve --help)")]
    [InlineData("echo serve --engine fast", "error: --engine: 'fast' is not one of: iterative, threads, select, async (see wirekit echo serve --help)")]
    public async Task A_mistyped_command_line_is_one_error_line_and_exit_2(string line, string expected)
    {
        var (exit, output, errors) = await RunAsync(line.Split(' '));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(expected + "\n", errors);
        Assert.DoesNotContain("System.", errors);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Under_json_a_usage_error_is_also_an_error_object_on_stdout()
    {
        var (exit, output, _) = await RunAsync("file", "list", "--json", "--timout", "3");

        Assert.Equal(ExitCodes.Usage, exit);
        using var json = JsonDocument.Parse(output);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Equal("usage", error.GetProperty("kind").GetString());
        Assert.StartsWith("unrecognized option '--timout'", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_word_after_double_dash_is_an_argument_even_when_it_starts_with_a_dash()
    {
        var root = new Command("wirekit");
        var word = new Argument<string>("word");
        var leaf = new Command("say") { word };
        string? seen = null;
        leaf.SetAction(parse => { seen = parse.GetValue(word); return 0; });
        root.Subcommands.Add(leaf);

        var exit = await CliRunner.RunAsync(root, ["say", "--", "--loud"], TextWriter.Null, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal("--loud", seen);
    }

    [Fact]
    public async Task A_group_without_its_verb_prints_its_help_and_exits_2()
    {
        var (exit, output, _) = await RunAsync("file");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("list", output);
        Assert.Contains("get", output);
    }

    [Fact]
    public async Task An_exception_a_command_lets_escape_is_one_line_with_its_inner_reason_and_exit_1()
    {
        var root = new Command("wirekit");
        var leaf = new Command("boom");
        leaf.SetAction(int (_) => throw new InvalidOperationException("The handshake failed. See the inner exception for details.", new IOException("certificate expired")));
        root.Subcommands.Add(leaf);
        var errors = new StringWriter();

        var exit = await CliRunner.RunAsync(root, ["boom"], TextWriter.Null, errors, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("error: The handshake failed: certificate expired\n", errors.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_command_failure_keeps_its_exit_code_and_prints_json_when_asked()
    {
        var root = new Command("wirekit");
        var json = CommonOptions.Json();
        var leaf = new Command("fail") { json };
        leaf.SetAction(int (_) => throw new CommandFailure("127.0.0.1:9 refused the connection"));
        root.Subcommands.Add(leaf);
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await CliRunner.RunAsync(root, ["fail", "--json"], output, errors, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("error: 127.0.0.1:9 refused the connection\n", errors.ToString().ReplaceLineEndings("\n"));
        using var document = JsonDocument.Parse(output.ToString());
        Assert.Equal("127.0.0.1:9 refused the connection", document.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Cancellation_that_escapes_a_client_while_stopping_is_exit_130()
    {
        var root = new Command("wirekit");
        var leaf = new Command("wait");
        leaf.SetAction(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return 0; });
        root.Subcommands.Add(leaf);
        using var stopping = new CancellationTokenSource();
        var run = CliRunner.RunAsync(root, ["wait"], TextWriter.Null, TextWriter.Null, stopping.Token);
        stopping.Cancel();

        Assert.Equal(ExitCodes.Interrupted, await run.WaitAsync(Deadline.Default));
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CliRunner.RunAsync(CommandCatalog.Root(), args, output, errors, CancellationToken.None).WaitAsync(Deadline.Default);
        return (exit, output.ToString().ReplaceLineEndings("\n"), errors.ToString().ReplaceLineEndings("\n"));
    }
}
