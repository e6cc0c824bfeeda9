using Wirekit.Cli.Commands;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Cli;

/// <summary>Tab completion: what `wirekit completion bash` makes the shell offer.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("wirekit fi", "file")]
    [InlineData("wirekit file g", "get")]
    [InlineData("wirekit echo serve --e", "--engine")]
    [InlineData("wirekit echo serve --engine ", "async iterative select threads")]
    public void The_words_offered_are_the_ones_the_command_accepts(string line, string expected)
        => Assert.Equal(expected.Split(' '), CompletionCommand.Candidates(CommandCatalog.Root(), line));

    [SkippableFact]
    public async Task Bash_completes_through_the_printed_script()
    {
        Skip.If(ExternalServer.Find("bash") is null, "bash is not installed");
        var wirekit = string.Join(' ', CliProcess.Command().Select(w => $"'{w}'"));
        var script = $"""
            wirekit() {"{"} {wirekit} "$@"; {"}"}
            source <(wirekit completion bash)
            COMP_LINE='wirekit file g'; COMP_POINT=${"{"}#COMP_LINE{"}"}
            _wirekit_complete
            echo "${"{"}COMPREPLY[*]{"}"}"
            """;

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, ["bash", "-c", script]);

        Assert.True(exit == 0, error);
        Assert.Equal("get\n", output.ReplaceLineEndings("\n"));
    }
}
