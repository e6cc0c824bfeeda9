using Wirekit.Tests.Infrastructure;
using System.Diagnostics;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>Every way out of the served folder is refused with CMD_ERROR, and the connection keeps serving.</summary>
public sealed class RootJailTests
{
    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/inner.txt")]
    [InlineData("sub\\inner.txt")]
    [InlineData("a\0b")]
    public async Task Path_tricks_are_refused(string name)
    {
        await using var server = FileServerScope.Start();
        await File.WriteAllTextAsync(Path.Join(Path.GetDirectoryName(server.Root)!, "outside.txt"), "no");
        Directory.CreateDirectory(Path.Join(server.Root, "sub"));
        await File.WriteAllTextAsync(Path.Join(server.Root, "sub", "inner.txt"), "no");
        var code = await RequestAsync(server, name);
        Assert.Equal(FileErrorCode.Refused, code);
    }

    [Fact]
    public async Task Symlink_leading_out_is_refused_and_one_staying_in_is_served()
    {
        await using var server = FileServerScope.Start();
        var outside = Path.Join(server.Downloads, "secret.txt");
        await File.WriteAllTextAsync(outside, "secret");
        File.CreateSymbolicLink(Path.Join(server.Root, "escape"), outside);
        File.CreateSymbolicLink(Path.Join(server.Root, "passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Join(server.Root, "up"), "..");
        var inside = server.WriteRandomFile("real.bin", 100);
        File.CreateSymbolicLink(Path.Join(server.Root, "alias.bin"), "real.bin");

        Assert.Equal(FileErrorCode.Refused, await RequestAsync(server, "escape"));
        Assert.Equal(FileErrorCode.Refused, await RequestAsync(server, "passwd"));
        Assert.Equal(FileErrorCode.Refused, await RequestAsync(server, "up"));
        var result = await new FileTransferClient(server.Client()).GetAsync("alias.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.Equal(inside, await File.ReadAllBytesAsync(result.Path));

        var listed = (await new FileTransferClient(server.Client()).ListAsync().WaitAsync(Deadline.Default)).Select(e => e.Name);
        Assert.Equal(["alias.bin", "real.bin"], listed);
    }

    [Fact]
    public async Task Device_link_directory_and_missing_file_are_refused()
    {
        await using var server = FileServerScope.Start();
        File.CreateSymbolicLink(Path.Join(server.Root, "null"), "/dev/null");
        Directory.CreateDirectory(Path.Join(server.Root, "folder"));
        Assert.Equal(FileErrorCode.Refused, await RequestAsync(server, "null"));
        Assert.Equal(FileErrorCode.Refused, await RequestAsync(server, "folder"));
        Assert.Equal(FileErrorCode.NotFound, await RequestAsync(server, "missing"));
    }

    [SkippableFact]
    public async Task Fifo_is_refused_without_blocking_the_server()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs are made with mkfifo on Linux");
        await using var server = FileServerScope.Start();
        var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [Path.Join(server.Root, "pipe")]) { UseShellExecute = false });
        Skip.If(mkfifo is null, "mkfifo is not available");
        await mkfifo.WaitForExitAsync().WaitAsync(Deadline.Default);
        Skip.If(mkfifo.ExitCode != 0, "mkfifo failed");
        Assert.Equal(FileErrorCode.Refused, await RequestAsync(server, "pipe"));
        Assert.Empty(await new FileTransferClient(server.Client()).ListAsync().WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task Hidden_file_is_not_served_unless_shown()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile(".env", 10);
        Assert.Equal(FileErrorCode.NotFound, await RequestAsync(server, ".env"));
    }

    /// <summary>Sends a raw GET (bypassing the client's own name checks) and returns the error code; asserts the connection still serves a list.</summary>
    private static async Task<FileErrorCode> RequestAsync(FileServerScope server, string name)
    {
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);
        await client.SendAsync(ModernMessages.FormatGet(name, 0, FileProtocol.ToEnd));
        var (code, _) = await client.ReceiveHeaderAsync();
        Assert.Equal((int)FileCommandCode.Error, code);
        var (error, _) = await client.ReceiveErrorDataAsync();
        await client.SendAsync(RawFileClient.Header((int)FileCommandCode.List, 0));
        Assert.Equal((int)FileCommandCode.FileList, (await client.ReceiveHeaderAsync()).Code);
        return (FileErrorCode)error;
    }
}
