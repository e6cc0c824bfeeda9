using System.IO.Hashing;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Issue 8 §4: a file that changes on the server while it is being sent. The server resets the connection at once
/// and counts it; the client says so at once, and keeps the .part only when the server's hash says its bytes still
/// belong to the file. The change is made from the client's receive loop, which then waits until the server has
/// noticed (its send watchdog looks at the file at least once a second while a send waits), so the server is mid-send
/// whatever loopback's speed, and the client cannot have read every byte before the reset. The client's own timeout
/// is longer than the test's deadline: a client that noticed only by timing out fails the test.
/// </summary>
public sealed class FileChangeTests
{
    private const int Size = 32 * 1024 * 1024;
    private const string ChangedMessage = "the server's file changed during the transfer; run again";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task File_truncated_mid_transfer_resets_the_connection_and_the_client_says_so_at_once()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("log.bin", Size);
        var path = Path.Join(server.Root, "log.bin");
        var truncate = new ProgressTrigger(1024 * 1024, () =>
        {
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                file.SetLength(1024 * 1024);
            }

            WaitUntilNoticed(server);
        });

        var error = await Assert.ThrowsAsync<FileTransferException>(() => GetAsync(server, "log.bin", truncate));

        Assert.Contains(ChangedMessage, error.Message);
        Assert.Equal(1, server.Counters[FileServerEvent.FileChanged]);
        // The bytes came from a version the server no longer has: nothing of them is kept for --resume.
        Assert.False(File.Exists(Path.Join(server.Downloads, "log.bin.part")));
        Assert.False(File.Exists(Path.Join(server.Downloads, "log.bin")));
    }

    [Fact]
    public async Task File_modified_in_place_mid_transfer_is_never_taken_for_the_file()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("doc.bin", Size);
        var path = Path.Join(server.Root, "doc.bin");
        var modify = new ProgressTrigger(1024 * 1024, () =>
        {
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                file.Position = Size / 2;
                file.Write(new byte[4096]);
            }

            // Editors and copies move the time on; set it explicitly so the test does not depend on the clock's granularity.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
            WaitUntilNoticed(server);
        });

        var error = await Assert.ThrowsAsync<FileTransferException>(() => GetAsync(server, "doc.bin", modify));

        Assert.Contains(ChangedMessage, error.Message);
        Assert.False(File.Exists(Path.Join(server.Downloads, "doc.bin")));
        Assert.False(File.Exists(Path.Join(server.Downloads, "doc.bin.part")));
        var again = await new FileTransferClient(server.Client()).GetAsync("doc.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.Equal(XxHash128.HashToUInt128(File.ReadAllBytes(path)), FileServerScope.Hash(again.Path));
        Assert.NotEqual(XxHash128.HashToUInt128(content), FileServerScope.Hash(again.Path));
    }

    [Fact]
    public async Task File_only_touched_mid_transfer_keeps_the_part_and_resume_verifies()
    {
        await using var server = FileServerScope.Start();
        var content = server.WriteRandomFile("same.bin", Size);
        var path = Path.Join(server.Root, "same.bin");
        var touch = new ProgressTrigger(1024 * 1024, () =>
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
            WaitUntilNoticed(server);
        });

        var error = await Assert.ThrowsAsync<FileTransferException>(() => GetAsync(server, "same.bin", touch));

        Assert.Contains(ChangedMessage, error.Message);
        // Same hash on the server: the bytes received are the file's bytes, so --resume may use them.
        Assert.True(File.Exists(Path.Join(server.Downloads, "same.bin.part")));
        var resumed = await new FileTransferClient(server.Client() with { Resume = true }).GetAsync("same.bin", server.Downloads).WaitAsync(Deadline.Default);
        Assert.True(resumed.Verified);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(resumed.Path));
    }

    /// <summary>Blocks the client's receive loop (its own thread) until the server has counted the change.</summary>
    private static void WaitUntilNoticed(FileServerScope server)
        => Deadline.UntilAsync(() => server.Counters[FileServerEvent.FileChanged] == 1, "the server to notice the change").GetAwaiter().GetResult();

    private static Task<FileDownloadResult> GetAsync(FileServerScope server, string name, IProgress<long> progress)
        => new FileTransferClient(server.Client() with { Timeout = ClientTimeout, QueueBytes = 1024 * 1024 })
            .GetAsync(name, server.Downloads, progress).WaitAsync(Deadline.Default);
}
