using System.Globalization;
using Wirekit.Cli.Hosting;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Metrics;

/// <summary>The file server's requests and content bytes, counted as a client made them.</summary>
public sealed class FileMetricsTests
{
    [Fact]
    public async Task A_list_a_download_and_a_missing_file_are_counted_by_code_and_result()
    {
        using var collector = new MetricsCollector();
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("data.bin", 100_000);
        var file = new[] { ("server", "file"), ("port", server.EndPoint.Port.ToString(CultureInfo.InvariantCulture)) };

        var client = new FileTransferClient(server.Client());
        Assert.Single(await client.ListAsync().WaitAsync(Deadline.Default));
        await client.GetAsync("data.bin", server.Downloads).WaitAsync(Deadline.Default);
        await Assert.ThrowsAsync<FileTransferException>(() => client.GetAsync("missing", server.Downloads).WaitAsync(Deadline.Default));

        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_file_requests_total", file) >= 3, "3 requests counted");
        var scrape = Scrape.Of(collector);
        Assert.Equal(1, scrape.Value("wirekit_file_requests_total", [.. file, ("code", "list"), ("result", "ok")]));
        Assert.Equal(1, scrape.Value("wirekit_file_requests_total", [.. file, ("code", "get"), ("result", "ok")]));
        Assert.Equal(1, scrape.Value("wirekit_file_requests_total", [.. file, ("code", "get"), ("result", "error")]));
        Assert.Equal(100_000, scrape.Value("wirekit_file_bytes_sent_total", file));
    }

    [Fact]
    public async Task Codes_the_protocol_does_not_define_are_one_series_called_other()
    {
        using var collector = new MetricsCollector();
        await using var server = FileServerScope.Start();
        var file = new[] { ("server", "file"), ("port", server.EndPoint.Port.ToString(CultureInfo.InvariantCulture)) };
        using var client = await TestClient.ConnectAsync(server.EndPoint);
        foreach (var code in new[] { 99, 7, 250 })
        {
            await client.SendAsync(ClassicMessages.FormatRequest((FileCommandCode)code));
        }

        await Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_file_requests_total", file) >= 3, "3 requests counted");
        var scrape = Scrape.Of(collector);
        Assert.Equal(3, scrape.Value("wirekit_file_requests_total", [.. file, ("code", "other"), ("result", "error")]));
        Assert.Single(scrape.Text.Split('\n'), line => line.StartsWith("wirekit_file_requests_total{", StringComparison.Ordinal) && line.Contains($"port=\"{server.EndPoint.Port}\""));
    }
}
