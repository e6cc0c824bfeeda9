using System.Net;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Brief item 5: when the server has no file descriptor left to open a requested file, the client gets Busy
/// ("try again") and a log line, and the server stays up to serve it once descriptors are free again. The server
/// is `wirekit file serve` in a child process whose open-file limit the test lowers with prlimit(1) to exactly the
/// descriptors it holds, so its next open fails with EMFILE.
/// </summary>
public sealed class DescriptorExhaustionTests
{
    [SkippableFact]
    public async Task Out_of_descriptors_answers_busy_and_serves_again_once_there_are_some()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "prlimit and /proc are Linux's");
        var prlimit = ExternalServer.Find("prlimit");
        Skip.If(prlimit is null, "prlimit (util-linux) is not installed");
        var root = Directory.CreateTempSubdirectory("wirekit-emfile-").FullName;
        var content = new byte[100_000];
        new Random(5).NextBytes(content);
        File.WriteAllBytes(Path.Join(root, "a.bin"), content);
        try
        {
            using var cli = CliProcess.Start("file", "serve", "--root", root, "--port", "0");
            var endPoint = new IPEndPoint(IPAddress.Loopback, await cli.WaitForListeningPortAsync("file"));
            using var client = await RawFileClient.ConnectAsync(endPoint);
            await GetAsync(client, content); // hashed and cached now: the next GET opens the file once

            var soft = await ToolProcess.RunAsync(prlimit, "--pid", cli.Id.ToString(), "--nofile", "--noheadings", "--output", "SOFT");
            await ToolProcess.RunAsync(prlimit, "--pid", cli.Id.ToString(), $"--nofile={LowestFreeDescriptor(cli.Id)}:");
            await client.SendAsync(ModernMessages.FormatGet("a.bin", 0, FileProtocol.ToEnd));
            Assert.Equal(50, (await client.ReceiveHeaderAsync()).Code);
            var (code, text) = await client.ReceiveErrorDataAsync();
            Assert.Equal((int)FileErrorCode.Busy, code);
            Assert.Contains("try again", text);

            await ToolProcess.RunAsync(prlimit, "--pid", cli.Id.ToString(), $"--nofile={soft.Trim()}:");
            await GetAsync(client, content);
            Assert.Contains("out of file descriptors", cli.Output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task GetAsync(RawFileClient client, byte[] content)
    {
        await client.SendAsync(ModernMessages.FormatGet("a.bin", 0, FileProtocol.ToEnd));
        Assert.Equal(((int)FileCommandCode.File, FileProtocol.FileReplySize), await client.ReceiveHeaderAsync());
        await client.ReceiveExactlyAsync(FileProtocol.FileReplySize);
        Assert.Equal(content, await client.ReceiveExactlyAsync(content.Length));
    }

    // A new descriptor takes the lowest free number, and the limit refuses numbers at or above it.
    private static int LowestFreeDescriptor(int pid)
    {
        var used = Directory.GetFiles($"/proc/{pid}/fd").Select(f => int.Parse(Path.GetFileName(f))).ToHashSet();
        var lowest = 0;
        while (used.Contains(lowest))
        {
            lowest++;
        }

        return lowest;
    }
}
