using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Issue 10 §2 and §5 for `file list` and `file get`: the server given as [host[:port]], the table's header, what
/// --classic claims, camelCase JSON, --quiet, and a progress line that ends the same way every time.
/// </summary>
public sealed partial class FileCliOutputTests
{
    [Theory]
    [InlineData(new[] { "127.0.0.1", "big.bin" }, "127.0.0.1", 25002, new[] { "big.bin" })]
    [InlineData(new[] { "localhost", "a", "b" }, "localhost", 25002, new[] { "a", "b" })]
    [InlineData(new[] { "example.org:26000", "a.bin" }, "example.org", 26000, new[] { "a.bin" })]
    [InlineData(new[] { "[::1]:26000", "a.bin" }, "::1", 26000, new[] { "a.bin" })]
    [InlineData(new[] { "::1", "a.bin" }, "::1", 25002, new[] { "a.bin" })]
    [InlineData(new[] { "10.0.0.2", "26000", "big.iso" }, "10.0.0.2", 26000, new[] { "big.iso" })]
    // A bare host name without a port cannot be told from a file name: it is one (the help says so).
    [InlineData(new[] { "example.org", "a.bin" }, "127.0.0.1", 25002, new[] { "example.org", "a.bin" })]
    public void The_first_word_is_the_server_when_it_reads_as_one(string[] words, string host, int port, string[] names)
    {
        var (actualHost, actualPort, actualNames) = FileCommand.SplitGetArguments(words);
        Assert.Equal((host, port), (actualHost, actualPort));
        Assert.Equal(names, actualNames);
    }

    [Fact]
    public void A_server_without_a_file_name_is_a_usage_error()
    {
        var failure = Assert.Throws<CommandFailure>(() => FileCommand.SplitGetArguments(["127.0.0.1:26000"]));
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
        Assert.Equal("give the name of a file to download from 127.0.0.1:26000 (`wirekit file list 127.0.0.1:26000` shows them)", failure.Message);
    }

    [Fact]
    public async Task Get_and_list_take_host_colon_port_and_print_a_header_and_a_result_line()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("big.bin", 70_000);
        var hash = FileServerScope.Hash(Path.Join(server.Root, "big.bin")).ToString("x32");
        var address = $"127.0.0.1:{server.EndPoint.Port}";

        var list = await RunAsync("file", "list", address);
        Assert.Equal(0, list.Exit);
        var rows = Lines(list.Output);
        Assert.Equal("           SIZE  MODIFIED             XXH128                            NAME", rows[0]);
        Assert.Matches($@"^         70,000  \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d  {hash}  big\.bin$", rows[1]);
        Assert.Equal("1 file(s)", rows[2]);

        var get = await RunAsync("file", "get", address, "big.bin", "-o", server.Downloads);
        Assert.Equal(0, get.Exit);
        Assert.Matches($@"^big\.bin: 70,000 bytes in \d+\.\d\d s \(\d+\.\d MiB/s, 1 connection\(s\)\), XXH128 {hash} verified -> {Regex.Escape(server.Downloads)}/big\.bin$",
            Assert.Single(Lines(get.Output)));
    }

    [Fact]
    public async Task Classic_shows_no_hash_it_did_not_verify()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.bin", 1000);
        var address = $"127.0.0.1:{server.EndPoint.Port}";

        var list = await RunAsync("file", "list", address, "--classic");
        Assert.Equal("          1,000  -                    -                                 a.bin", Lines(list.Output)[1]);
        Assert.Equal("1 file(s) (classic list: no times or hashes)", Lines(list.Output)[2]);

        var get = await RunAsync("file", "get", address, "a.bin", "-o", server.Downloads, "--classic");
        var line = Assert.Single(Lines(get.Output));
        Assert.EndsWith($"length checked, not verified (the classic protocol carries no hash) -> {server.Downloads}/a.bin", line);
        Assert.DoesNotMatch("[0-9a-f]{32}", line);
    }

    [Fact]
    public async Task Json_is_camel_case_and_leaves_out_what_the_classic_list_lacks()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.bin", 1000);
        var address = $"127.0.0.1:{server.EndPoint.Port}";

        using (var list = JsonDocument.Parse((await RunAsync("file", "list", address, "--json")).Output))
        {
            var row = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(["name", "size", "modified", "xxh128"], row.EnumerateObject().Select(p => p.Name));
        }

        using (var classic = JsonDocument.Parse((await RunAsync("file", "list", address, "--json", "--classic")).Output))
        {
            Assert.Equal(["name", "size"], Assert.Single(classic.RootElement.EnumerateArray()).EnumerateObject().Select(p => p.Name));
        }

        using var get = JsonDocument.Parse((await RunAsync("file", "get", address, "a.bin", "-o", server.Downloads, "--json")).Output);
        var result = Assert.Single(get.RootElement.EnumerateArray());
        Assert.Equal(["name", "path", "size", "received", "resumed", "verified", "xxh128", "seconds", "mibPerSecond", "connections"],
            result.EnumerateObject().Select(p => p.Name));
        Assert.True(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Quiet_prints_only_the_result_line_however_long_the_download()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("slow.bin", 3 * 1024 * 1024);
        // 1 MiB/s: three seconds, in which the plain display would print a line a second.
        await using var slowLink = new LoopbackProxy(server.EndPoint, bytesPerSecond: 1024 * 1024);
        var get = await RunAsync("file", "get", $"127.0.0.1:{slowLink.Port}", "slow.bin", "-o", server.Downloads, "--quiet");
        Assert.Equal(0, get.Exit);
        Assert.StartsWith("slow.bin: 3,145,728 bytes in ", Assert.Single(Lines(get.Output)));
        Assert.Equal(string.Empty, get.Error);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
        => await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command(arguments));

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
