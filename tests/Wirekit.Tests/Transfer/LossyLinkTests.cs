using Wirekit.Tests.Infrastructure;
using System.IO.Hashing;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Transfers between two network namespaces on a veth pair with 5 % of the server's packets dropped, and with the
/// link downed and raised mid-transfer (the seed's "TCP 장애 유형"): the file ends byte-identical, or the client
/// reports the failure and --resume finishes it.
/// </summary>
[Trait("Category", "Netns")]
public sealed class LossyLinkTests
{
    [SkippableFact]
    public async Task Five_percent_loss_still_delivers_a_verified_file()
    {
        var reason = NetnsFileServer.SkipReason();
        Skip.If(reason is not null, reason);
        await using var files = FileServerScope.Start();
        var content = files.WriteRandomFile("lossy.bin", 16 * 1024 * 1024);
        await using var netns = await NetnsFileServer.StartAsync(files.Root);
        await netns.DropOutgoingAsync(0.05);

        var options = new FileClientOptions { Host = netns.ServerAddress.ToString(), Port = NetnsFileServer.Port, Timeout = Deadline.Default, SocketFactory = netns.ClientSockets };
        var result = await GetOrResumeAsync(options, files.Downloads, netns);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(result.Path));
    }

    [SkippableFact]
    public async Task Link_down_and_up_mid_transfer_ends_verified()
    {
        var reason = NetnsFileServer.SkipReason();
        Skip.If(reason is not null, reason);
        await using var files = FileServerScope.Start();
        var content = files.WriteRandomFile("flap.bin", 48 * 1024 * 1024);
        await using var netns = await NetnsFileServer.StartAsync(files.Root);

        var flap = Task.CompletedTask;
        var received = 0L;
        var flapped = 0;
        var progress = new SyncProgress(count =>
        {
            if (Interlocked.Add(ref received, count) > 4 * 1024 * 1024 && Interlocked.Exchange(ref flapped, 1) == 0)
            {
                // Down now (the receive loop waits for it), up again two seconds later while TCP retransmits.
                netns.SetLinkAsync(up: false).GetAwaiter().GetResult();
                flap = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => netns.SetLinkAsync(up: true)).Unwrap();
            }
        });
        var options = new FileClientOptions { Host = netns.ServerAddress.ToString(), Port = NetnsFileServer.Port, Timeout = Deadline.Default, QueueBytes = 1024 * 1024, SocketFactory = netns.ClientSockets };
        var result = await GetOrResumeAsync(options, files.Downloads, netns, progress);
        await flap.WaitAsync(Deadline.Default);
        Assert.Equal(1, flapped);
        Assert.Equal(XxHash128.HashToUInt128(content), FileServerScope.Hash(result.Path));
    }

    /// <summary>One get; if the network beat it, the failure must be a clear FileTransferException, and a resume on a clean link must finish it.</summary>
    private static async Task<FileDownloadResult> GetOrResumeAsync(FileClientOptions options, string folder, NetnsFileServer netns, IProgress<long>? progress = null)
    {
        var name = Directory.EnumerateFiles(netns.Root).Select(Path.GetFileName).Single()!;
        try
        {
            var result = await new FileTransferClient(options).GetAsync(name, folder, progress).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(result.Verified);
            return result;
        }
        catch (FileTransferException)
        {
            await netns.StopDroppingAsync();
            await netns.SetLinkAsync(up: true);
            var resumed = await new FileTransferClient(options with { Resume = true }).GetAsync(name, folder).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(resumed.Verified);
            return resumed;
        }
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
