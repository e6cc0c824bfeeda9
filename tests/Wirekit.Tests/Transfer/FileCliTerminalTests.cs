using System.Text;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// `file get` on a terminal (script(1) gives it a pseudo-terminal): the progress line is redrawn in place and, when
/// the download ends, erased, so the screen holds the result line alone, whether a frame was drawn or not.
/// </summary>
public sealed class FileCliTerminalTests
{
    private const int MiB = 1024 * 1024;

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(MiB)]
    public async Task The_finished_progress_line_is_replaced_by_the_result_line_every_time(int bytesPerSecond)
    {
        Skip.If(ExternalServer.Find("script") is null, "script(1) (util-linux) gives the CLI a terminal; not installed");
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("big.bin", 2 * MiB);
        // Unpaced, the download may end before the first frame; at 1 MiB/s it takes 2 s and draws several.
        await using var link = new LoopbackProxy(server.EndPoint, bytesPerSecond: bytesPerSecond);
        var command = string.Join(' ', CliProcess.Command("file", "get", $"127.0.0.1:{link.Port}", "big.bin", "-o", server.Downloads).Select(a => $"'{a}'"));

        var (exit, output, _) = await ToolProcess.RunUncheckedAsync("script", "-qfec", command, "/dev/null");

        Assert.Equal(0, exit);
        var screen = Screen(output);
        Assert.StartsWith("big.bin: 2,097,152 bytes in ", Assert.Single(screen));
        Assert.EndsWith($"verified -> {server.Downloads}/big.bin", screen[0]);
        if (bytesPerSecond > 0)
        {
            Assert.Contains("\r\u001b[2Kbig.bin  ", output, StringComparison.Ordinal);
            Assert.Matches(@"big\.bin  \d+\.\d MiB / 2\.0 MiB  \d+ ?%  ", output);
        }
    }

    [SkippableFact]
    public async Task Full_disk_under_the_progress_line_leaves_the_error_line_alone_on_screen()
    {
        var reason = TmpfsMount.SkipReason() ?? (ExternalServer.Find("script") is null ? "script(1) (util-linux) gives the CLI a terminal; not installed" : null);
        Skip.If(reason is not null, reason);
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("big.bin", 16 * MiB);
        await using var disk = await TmpfsMount.MountAsync(6 * MiB);
        var folder = Path.Join(disk.Path, "dl");
        var command = string.Join(' ', CliProcess.Command(FileCliTests.Get(server.EndPoint.Port, folder, "big.bin", "--parallel", "4")).Select(a => $"'{a}'"));

        var (exit, output, _) = await ToolProcess.RunUncheckedAsync("script", "-qfec", command, "/dev/null");

        Assert.Equal(1, exit);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.StartsWith($"error: {folder}: no space left on device; ", Assert.Single(Screen(output)));
    }

    /// <summary>
    /// What a terminal shows after <paramref name="output"/>: carriage return, line feed and erase-line (CSI 2K) as a
    /// terminal applies them; other control sequences (cursor keys mode and the like) change nothing visible.
    /// </summary>
    private static List<string> Screen(string output)
    {
        var lines = new List<StringBuilder> { new() };
        var column = 0;
        for (var i = 0; i < output.Length; i++)
        {
            var c = output[i];
            var line = lines[^1];
            if (c == '\u001b')
            {
                var end = i + 1;
                if (end < output.Length && output[end] == '[')
                {
                    end++;
                    while (end < output.Length && output[end] is < '@' or > '~')
                    {
                        end++;
                    }

                    if (output.AsSpan(i + 2, end - i - 2).SequenceEqual("2") && output[end] == 'K')
                    {
                        line.Clear();
                    }
                }

                i = end;
            }
            else if (c == '\r')
            {
                column = 0;
            }
            else if (c == '\n')
            {
                lines.Add(new StringBuilder());
                column = 0;
            }
            else
            {
                line.Length = Math.Max(line.Length, column);
                if (column < line.Length)
                {
                    line[column] = c;
                }
                else
                {
                    line.Append(c);
                }

                column++;
            }
        }

        return lines.Select(l => l.ToString().TrimEnd()).Where(l => l.Length > 0).ToList();
    }
}
