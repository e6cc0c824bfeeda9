using System.Globalization;
using System.IO.Hashing;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// `wirekit file get` as a person runs it, in a child process: killed with -9 mid `--parallel 4`, or out of disk,
/// and then `--resume`. Issue 8 §5 and issue 10 §1: one `error:` line, exit 1, no stack trace, and a .part that
/// --resume can finish.
/// </summary>
public sealed class FileCliTests
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Kill_9_during_parallel_4_then_resume_fetches_the_rest_and_verifies()
    {
        await using var server = FileServerScope.Start();
        const int size = 48 * MiB;
        var content = server.WriteRandomFile("big.bin", size);
        var journal = PartJournal.PathFor(Path.Join(server.Downloads, "big.bin.part"));
        // 4 MiB/s per connection: the download takes about 3 s, long enough to be killed in the middle.
        await using (var slowLink = new LoopbackProxy(server.EndPoint, bytesPerSecond: 4 * MiB))
        using (var cli = CliProcess.Start(Get(slowLink.Port, server.Downloads, "big.bin", "--parallel", "4")))
        {
            await Deadline.UntilAsync(() => (PartJournal.TryRead(journal)?.Good.Total ?? 0) >= 8 * MiB, "a checkpoint with 8 MiB on disk");
            cli.SendSignal(SigKill);
            await cli.WaitForExitAsync(Deadline.Default);
        }

        var kept = PartJournal.TryRead(journal)!.Value.Good.Total;
        Assert.InRange(kept, 8 * MiB, size - 1);
        using var resume = CliProcess.Start(Get(server.EndPoint.Port, server.Downloads, "big.bin", "--parallel", "4", "--resume"));
        Assert.Equal(0, await resume.WaitForExitAsync(Deadline.Default));
        // It says where it resumed: how much of which .part it kept.
        Assert.Contains($", resumed: {kept:N0} bytes were already in {server.Downloads}/big.bin.part), XXH128 ", resume.Output);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(Path.Join(server.Downloads, "big.bin")));
        Assert.False(File.Exists(journal));
    }

    [Fact]
    public async Task Ctrl_c_says_what_is_kept_and_how_to_resume_and_exits_130()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("big.bin", 16 * MiB);
        var part = Path.Join(server.Downloads, "big.bin.part");
        await using var slowLink = new LoopbackProxy(server.EndPoint, bytesPerSecond: 2 * MiB);
        using var cli = CliProcess.Start(Get(slowLink.Port, server.Downloads, "big.bin"));
        await Deadline.UntilAsync(() => File.Exists(part) && new FileInfo(part).Length >= MiB, "a MiB on disk");

        cli.SendSignal(SigInt);

        Assert.Equal(130, await cli.WaitForExitAsync(Deadline.Default));
        Assert.Matches($@"^error: interrupted; \d+\.\d MiB kept in {part} \(resume with --resume\)$", SingleErrorLine(cli.Output.Split('\n')));
    }

    [SkippableTheory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task Full_disk_is_one_line_keeps_what_is_good_and_resume_finishes_once_there_is_room(string parallel)
    {
        var reason = TmpfsMount.SkipReason();
        Skip.If(reason is not null, reason);
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("big.bin", 16 * MiB);
        await using var disk = await TmpfsMount.MountAsync(6 * MiB);
        var folder = Path.Join(disk.Path, "dl");

        var (exit, lines) = await RunAsync(Get(server.EndPoint.Port, folder, "big.bin", "--parallel", parallel));

        Assert.Equal(1, exit);
        var error = SingleErrorLine(lines);
        Assert.Matches($@"^error: {folder}: no space left on device; \d+\.\d MiB kept in {folder}/big\.bin\.part \(resume with --resume\)$", error);
        Assert.False(File.Exists(Path.Join(folder, "big.bin")));
        var part = File.ReadAllBytes(Path.Join(folder, "big.bin.part"));
        var (_, good) = PartJournal.TryRead(PartJournal.PathFor(Path.Join(folder, "big.bin.part"))) ?? throw new InvalidOperationException("no journal");
        Assert.True(good.Total > 0);
        Assert.Equal(good.End, part.Length);
        foreach (var (start, end) in good.Ranges)
        {
            Assert.True(content.AsSpan((int)start, (int)(end - start)).SequenceEqual(part.AsSpan((int)start, (int)(end - start))));
        }

        Assert.Contains($"{good.Total / (double)MiB:0.0} MiB kept", error);
        await disk.ResizeAsync(64 * MiB);
        var (resumed, output) = await RunAsync(Get(server.EndPoint.Port, folder, "big.bin", "--parallel", parallel, "--resume"));
        Assert.True(resumed == 0, string.Join('\n', output));
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(Path.Join(folder, "big.bin")));
    }

    internal static string[] Get(int port, string folder, string name, params string[] more)
        => ["file", "get", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), name, "-o", folder, .. more];

    internal static async Task<(int Exit, string[] Lines)> RunAsync(string[] arguments)
    {
        using var cli = CliProcess.Start(arguments);
        var exit = await cli.WaitForExitAsync(Deadline.Default);
        return (exit, cli.Output.Split('\n'));
    }

    /// <summary>The one `error:` line a failure prints; no stack trace, no second error.</summary>
    internal static string SingleErrorLine(string[] lines)
    {
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));
        return Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
    }
}
