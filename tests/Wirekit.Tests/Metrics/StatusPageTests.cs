using System.Net;
using System.Text.RegularExpressions;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Metrics;

/// <summary>The status page as a browser renders it: headless Chromium opens it while a bench loads the server.</summary>
public sealed partial class StatusPageTests
{
    private const int SigTerm = 15;

    [SkippableFact]
    public async Task Chromium_renders_the_sessions_and_a_live_message_rate_while_a_bench_runs()
    {
        var chromium = ExternalServer.Find("chromium");
        Skip.If(chromium is null, "chromium is not installed (Debian package chromium)");
        using var server = CliProcess.Start("echo", "serve", "-p", "0", "--metrics", "127.0.0.1:0");
        var echoPort = await server.WaitForListeningPortAsync("echo");
        var page = Regex.Match(server.Output, @"status page: (http://127\.0\.0\.1:\d+/)").Groups[1].Value;
        using var http = new HttpClient { Timeout = Deadline.Default };
        var metrics = new Uri(new Uri(page), "/metrics");
        using var bench = CliProcess.Start("bench", "echo", $"127.0.0.1:{echoPort}", "-c", "3", "-m", "1", "-t", "20", "--warmup", "0", "-q");
        try
        {
            await Deadline.UntilAsync(() => Scrape.Get(http, metrics).Value("wirekit_connections_active") == 3 || bench.HasExited, "the bench's 3 connections");
            Assert.False(bench.HasExited, $"the bench ended early: {bench.Output}");

            // The page polls /status.json once a second; the virtual time budget lets a few polls (and so a rate) happen.
            var (exit, dom, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
                [chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=4000", "--dump-dom", page]);
            Assert.True(exit == 0, $"chromium: exit {exit}: {error}");

            Assert.Equal("3", Figure(dom, "active"));
            Assert.Matches(@"^echo async :\d+$", Figure(dom, "name"));
            Assert.True(long.Parse(Figure(dom, "messagesInPerSecond"), System.Globalization.NumberStyles.AllowThousands) > 0, $"no message rate rendered: {dom}");
            Assert.Contains("updated ", dom);
        }
        finally
        {
            bench.SendSignal(SigTerm);
            server.SendSignal(SigTerm);
            await bench.WaitForExitAsync(Deadline.Default);
            Assert.Equal(0, await server.WaitForExitAsync(Deadline.Default));
        }
    }

    /// <summary>The rendered text of the echo row's cell for <paramref name="figure"/>.</summary>
    private static string Figure(string dom, string figure)
    {
        var match = Regex.Match(dom, $@"<td data-figure=""{figure}"" data-server=""echo"">([^<]*)</td>");
        Assert.True(match.Success, $"no {figure} cell in the rendered page: {dom}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
