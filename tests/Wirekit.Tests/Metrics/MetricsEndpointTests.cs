using System.Net;
using System.Text.RegularExpressions;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Metrics;

/// <summary>`--metrics` as a person and a scraper meet it: the real CLI, scraped over HTTP during a scripted session.</summary>
public sealed class MetricsEndpointTests
{
    private const int SigTerm = 15;

    [SkippableFact]
    public async Task A_scrape_during_a_chat_session_shows_what_the_clients_did_and_promtool_accepts_it()
    {
        using var cli = CliProcess.Start("chat", "serve", "-p", "0", "--metrics", "127.0.0.1:0");
        var chatPort = await cli.WaitForListeningPortAsync("chat");
        var metrics = MetricsUrl(cli);
        using var http = new HttpClient { Timeout = Deadline.Default };
        var chat = new[] { ("server", "chat"), ("port", chatPort.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var members = new List<ChatTestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                members.Add(await ChatTestClient.JoinAsAsync(new IPEndPoint(IPAddress.Loopback, chatPort), $"m{i}"));
            }

            Assert.Equal(3, Scrape.Get(http, metrics).Value("wirekit_connections_active", chat));
            foreach (var member in members.Take(2))
            {
                await member.SkipUntilAsync("-!- m2 joined");
            }

            // Three joins, one after another: 1 + 2 + 3 members hear a join notice.
            await Deadline.UntilAsync(() => Scrape.Get(http, metrics).Value("wirekit_chat_deliveries_total", chat) >= 6, "the join notices counted");
            var joined = Scrape.Get(http, metrics).Value("wirekit_chat_deliveries_total", chat);
            Assert.Equal(6, joined);

            for (var m = 0; m < 10; m++)
            {
                await members[1].SendLineAsync($"message {m}");
            }

            foreach (var member in members)
            {
                await member.SkipUntilAsync("<m1> message 9");
            }

            await Deadline.UntilAsync(() => Scrape.Get(http, metrics).Value("wirekit_chat_deliveries_total", chat) >= joined + 30, "30 more deliveries");
            var scrape = Scrape.Get(http, metrics);
            Assert.Equal(30, scrape.Value("wirekit_chat_deliveries_total", chat) - joined);
            Assert.Equal(3, scrape.Value("wirekit_connections_accepted_total", chat));

            var promtool = ExternalServer.Find("promtool");
            Skip.If(promtool is null, "promtool is not installed (Debian package prometheus)");
            var file = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(file, scrape.Text);
                var (exit, output, error) = await ToolProcess.RunUncheckedAsync("sh", "-c", $"'{promtool}' check metrics < '{file}'");
                Assert.True(exit == 0, $"promtool check metrics: exit {exit}: {output}{error}\n{scrape.Text}");
                Assert.Equal("", output + error);
            }
            finally
            {
                File.Delete(file);
            }
        }
        finally
        {
            members.ForEach(member => member.Dispose());
            cli.SendSignal(SigTerm);
            Assert.Equal(0, await cli.WaitForExitAsync(Deadline.Default));
        }
    }

    [Fact]
    public async Task The_endpoint_answers_its_pages_and_names_them_for_any_other_path()
    {
        using var cli = CliProcess.Start("echo", "serve", "-p", "0", "--metrics", "127.0.0.1:0");
        await cli.WaitForListeningPortAsync("echo");
        var metrics = MetricsUrl(cli);
        using var http = new HttpClient { Timeout = Deadline.Default };
        try
        {
            using var page = await http.GetAsync(new Uri(metrics, "/"));
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<title>Wirekit status</title>", await page.Content.ReadAsStringAsync());

            var figures = await http.GetStringAsync(new Uri(metrics, "/status.json"));
            Assert.Matches(@"^\{""at"":\d+,""servers"":\[\{""server"":""echo"",""engine"":""async"",""port"":\d+,""active"":0,", figures);

            using var missing = await http.GetAsync(new Uri(metrics, "/nothing"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("here: /metrics (Prometheus), / (status page), /status.json\n", await missing.Content.ReadAsStringAsync());
        }
        finally
        {
            cli.SendSignal(SigTerm);
            Assert.Equal(0, await cli.WaitForExitAsync(Deadline.Default));
        }
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("127.0.0.1")]
    public async Task A_metrics_address_without_a_port_is_a_usage_error_in_one_line(string value)
    {
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command("echo", "serve", "--metrics", value));
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: --metrics must be an address and port such as 127.0.0.1:9464, [::1]:9464 or 9464, not '{value}' (see wirekit echo serve --help)\n", error);
    }

    /// <summary>The "metrics on http://...:PORT/metrics" line the server prints first.</summary>
    private static Uri MetricsUrl(CliProcess cli)
    {
        var match = Regex.Match(cli.Output, @"^metrics on (http://127\.0\.0\.1:\d+/metrics)  status page: http://127\.0\.0\.1:\d+/$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no metrics line in: {cli.Output}");
        return new Uri(match.Groups[1].Value);
    }
}
