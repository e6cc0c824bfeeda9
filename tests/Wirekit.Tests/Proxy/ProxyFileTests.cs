using System.IO.Hashing;
using Wirekit.Proxy;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Proxy;

/// <summary>The file client behind the proxy: a reset mid-transfer is resumed, a flipped bit is caught by the hash and repaired.</summary>
public sealed class ProxyFileTests
{
    [Fact]
    public async Task A_download_reset_by_reset_after_resumes_and_verifies()
    {
        await using var files = FileServerScope.Start();
        var content = files.WriteRandomFile("big.bin", 4 * 1024 * 1024);
        await using var proxy = ProxyScope.Start(files.EndPoint, down: ProxyScope.Faults(("reset-after", "1000000")));
        var options = files.Client(proxy.EndPoint.Port);

        var failure = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(options).GetAsync("big.bin", files.Downloads).WaitAsync(Deadline.Default));
        Assert.Equal(FileTransferRemedy.Resume, failure.Remedy);
        var report = await proxy.ReportAsync(r => r.Id == 1, "the reset connection to end");
        Assert.Equal((ProxyEnd.ResetFault, 1_000_000L), (report.End, report.BytesDown));
        Assert.Contains("down reset-after", report.Faults);

        proxy.Execute("remove reset-after");
        var resumed = await new FileTransferClient(options with { Resume = true }).GetAsync("big.bin", files.Downloads).WaitAsync(Deadline.Default);
        Assert.True(resumed.Verified);
        Assert.InRange(resumed.Resumed, 1, 1_000_000);
        Assert.Equal(content.Length, resumed.Resumed + resumed.Received);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(resumed.Path));
    }

    [Fact]
    public async Task A_bit_flipped_by_corrupt_is_caught_by_the_hash_and_repaired_by_resume()
    {
        await using var files = FileServerScope.Start();
        // Large enough that the proxy is still forwarding when the client has 1 MiB: the flips land in file bytes,
        // not in the reply header that precedes them.
        var content = files.WriteRandomFile("data.bin", 48 * 1024 * 1024);
        await using var proxy = ProxyScope.Start(files.EndPoint);
        var options = files.Client(proxy.EndPoint.Port);
        // Corrupt from 1 MiB to 40 MiB as the client counts: the proxy, ahead of the client by at most the buffers
        // between them, forwards some of that stretch while it is on. Off again before the end, because after a
        // mismatch the client asks the server whether the file changed, and that reply must arrive intact.
        var received = 0L;
        var step = 0;
        var progress = new Progress(count =>
        {
            var total = Interlocked.Add(ref received, count);
            if (total >= 1024 * 1024 && Interlocked.CompareExchange(ref step, 1, 0) == 0)
            {
                proxy.Execute("add down corrupt 1");
            }
            else if (total >= 40 * 1024 * 1024 && Interlocked.CompareExchange(ref step, 2, 1) == 1)
            {
                proxy.Execute("remove corrupt");
            }
        });

        var failure = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(options).GetAsync("data.bin", files.Downloads, progress).WaitAsync(Deadline.Default));
        Assert.StartsWith("hash mismatch for 'data.bin'", failure.Message);
        var corrupted = await proxy.ReportAsync(r => r.Id == 1, "the corrupted connection to end");
        Assert.True(corrupted.Corrupted > 0);
        Assert.Contains("down corrupt", corrupted.Faults);

        Assert.Equal(2, step);
        var repaired = await new FileTransferClient(options with { Resume = true }).GetAsync("data.bin", files.Downloads).WaitAsync(Deadline.Default);
        Assert.True(repaired.Verified);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(repaired.Path));
    }

    /// <summary>Reports on the caller's thread (System.Progress posts to the pool, after the download may have ended).</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
