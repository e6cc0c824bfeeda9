using System.Xml.Linq;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Plots;

/// <summary>
/// bench/plots (issue 14 §4) run as the bench scripts run it, on fixed bench documents: both files are written,
/// the PNG is a PNG, the SVG is XML, and the chart says what it shows (axis labels, series names).
/// </summary>
public sealed class PlotToolTests : IDisposable
{
    private const string Echo = """
        {"kind": "echo", "command": "bench/echo.sh -s 2", "machine": "test", "started": "", "rows": [
          {"server": "c", "profile": "throughput", "clients": 1, "client": "wirekit", "msgPerSecond": 12000000},
          {"server": "c", "profile": "throughput", "clients": 1, "client": "c", "msgPerSecond": 25000000},
          {"server": "c", "profile": "pingpong", "clients": 100, "client": "wirekit", "msgPerSecond": 160000, "p50Us": 600, "p99Us": 900, "p999Us": 1500},
          {"server": "threads", "profile": "throughput", "clients": 1, "client": "wirekit", "msgPerSecond": 11000000},
          {"server": "threads", "profile": "pingpong", "clients": 100, "client": "wirekit", "msgPerSecond": "fail"},
          {"server": "async", "profile": "throughput", "clients": 1, "client": "wirekit", "msgPerSecond": 10000000},
          {"server": "async", "profile": "pingpong", "clients": 100, "client": "wirekit", "msgPerSecond": 120000, "p50Us": 800, "p99Us": 1200, "p999Us": 2500}
        ]}
        """;

    private const string Soak = """
        {"kind": "soak", "command": "bench/soak.sh 20", "machine": "test", "started": "", "rows": [
          {"t": 0, "phase": "rest", "server": "echo-async", "rssKiB": 40000, "threads": 15, "fds": 93, "sockets": 2, "gcHeapBytes": 1000},
          {"t": 10, "phase": "load", "server": "echo-async", "rssKiB": 52000, "threads": 16, "fds": 110, "sockets": 9, "gcHeapBytes": 2000},
          {"t": 20, "phase": "after", "server": "echo-async", "rssKiB": 52100, "threads": 15, "fds": 110, "sockets": 2, "gcHeapBytes": 2000},
          {"t": 0, "phase": "rest", "server": "chat-threads", "rssKiB": 41000, "threads": 15, "fds": 93, "sockets": 2, "gcHeapBytes": 1000},
          {"t": 10, "phase": "load", "server": "chat-threads", "rssKiB": 60000, "threads": 30, "fds": 120, "sockets": 12, "gcHeapBytes": null}
        ]}
        """;

    private const string Chat = """
        {"kind": "chat", "command": "bench/chat.sh -s 1", "machine": "test", "started": "", "rows": [
          {"engine": "async", "members": 100, "rate": 100, "offeredPerSecond": 10000, "deliveriesPerSecond": 9990, "deliveredPercent": 100, "clientsLost": 0, "p50Ms": 0.2, "p99Ms": 1.5},
          {"engine": "async", "members": 100, "rate": 10000, "offeredPerSecond": 1000000, "deliveriesPerSecond": 990000, "deliveredPercent": 100, "clientsLost": 0, "p50Ms": 1, "p99Ms": 6},
          {"engine": "select", "members": 100, "rate": 100, "offeredPerSecond": 10000, "deliveriesPerSecond": 9980, "deliveredPercent": 100, "clientsLost": 0, "p50Ms": 0.3, "p99Ms": 2},
          {"engine": "select", "members": 100, "rate": 10000, "offeredPerSecond": 1000000, "deliveriesPerSecond": 400000, "deliveredPercent": 40, "clientsLost": 60, "p50Ms": 900, "p99Ms": 2000},
          {"engine": "threads", "members": 100, "rate": 0, "offeredPerSecond": null, "deliveriesPerSecond": null, "deliveredPercent": null, "clientsLost": null, "p50Ms": null, "p99Ms": null}
        ]}
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wirekit-plots-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("echo", "", new[] { "messages/s as a ratio to the C server", "C epoll (reference)", "threads", "async", "throughput, 1 client", "pingpong, 100 clients", "bench/echo.sh -s 2" })]
    [InlineData("echo", "-latency", new[] { "percentile", "p50", "p99", "p99.9", "C epoll, 100 clients", "async, 100 clients", "bench/echo.sh -s 2" })]
    [InlineData("soak", "", new[] { "RSS (MiB)", "minutes since the load started", "echo-async", "chat-threads", "load stops", "bench/soak.sh 20" })]
    [InlineData("chat", "", new[] { "offered deliveries/s (rate x members)", "deliveries/s", "async", "select", "all offered delivered", "10.0 k", "1.0 M", "bench/chat.sh -s 1" })]
    public async Task The_tool_writes_a_png_and_an_svg_that_names_its_axes_and_series(string kind, string picture, string[] texts)
    {
        var input = Path.Combine(_folder.FullName, $"{kind}.json");
        File.WriteAllText(input, kind switch { "echo" => Echo, "soak" => Soak, _ => Chat });

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CommandLine(input));

        Assert.True(exit == 0, $"exit {exit}: {error}");
        var pictures = kind == "echo" ? new[] { "", "-latency" } : [""];
        Assert.Equal(string.Concat(pictures.Select(p => $"wrote {Path.Combine(_folder.FullName, kind + p)}.png\nwrote {Path.Combine(_folder.FullName, kind + p)}.svg\n")), output);
        var name = Path.Combine(_folder.FullName, kind + picture);
        var png = File.ReadAllBytes($"{name}.png");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var svg = XDocument.Load($"{name}.svg");
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        var shown = string.Join("\n", svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.All(texts, text => Assert.Contains(text, shown));
    }

    [Fact]
    public async Task A_document_of_an_unknown_kind_is_one_error_line_and_exit_1()
    {
        var input = Path.Combine(_folder.FullName, "odd.json");
        File.WriteAllText(input, """{"kind": "weather", "rows": [{"t": 1}]}""");

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CommandLine(input));

        Assert.Equal((1, ""), (exit, output));
        Assert.Equal($"error: {input}: unknown kind 'weather' (kinds: echo, proxy, connections, file, startup, soak, chat)\n", error);
    }

    private static string[] CommandLine(params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalServer.Find("dotnet") ?? "dotnet";
        return [host, Path.Combine(AppContext.BaseDirectory, "Wirekit.Plots.dll"), .. arguments];
    }
}
