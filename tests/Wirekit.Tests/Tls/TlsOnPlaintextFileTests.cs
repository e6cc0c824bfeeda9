using Wirekit.Cli.Hosting;
using Wirekit.Engines;
using Wirekit.Tests.Access;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Metrics;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Tls;

/// <summary>
/// The file server reads its own sockets (a connection handler), yet a TLS client on its plaintext port is told apart
/// as on the byte-stream servers: the same log line, a count, a close, and everyone else still served.
/// </summary>
public sealed class TlsOnPlaintextFileTests
{
    [SkippableTheory]
    [InlineData(EngineKind.Threads)]
    [InlineData(EngineKind.Async)]
    public async Task An_openssl_client_on_the_plaintext_file_port_is_logged_counted_and_closed_and_list_and_get_still_work(EngineKind engine)
    {
        Skip.If(OpenSslClient.Binary is null, "openssl is not installed (test.sh installs it)");
        using var collector = new MetricsCollector();
        var logs = new CapturingLoggerFactory();
        await using var server = FileServerScope.Start(engine: engine, loggers: logs);
        var content = server.WriteRandomFile("a.bin", 100_000);

        var (exit, _, _) = await ToolProcess.RunUncheckedAsync(Deadline.Default, [OpenSslClient.Binary!, "s_client", "-connect", server.EndPoint.ToString()]);

        Assert.NotEqual(0, exit); // the handshake never completes: the server closed instead of answering
        await Deadline.UntilAsync(() => logs.Lines.Any(line => line.Event.Id == 40), "the TLS-on-plaintext log line");
        Assert.Matches(@"^session \d+ \(127\.0\.0\.1:\d+\): TLS handshake on a plaintext port: start the server with --tls-cert", Assert.Single(logs.Lines, line => line.Event.Id == 40).Message);
        Assert.DoesNotContain(logs.Lines, line => line.Event.Id == 4003); // not taken for a frame of a bogus size
        Assert.Equal(1, Scrape.Of(collector).Value("wirekit_connections_refused_total", [.. ServerLabels.Of(engine, server.EndPoint.Port, "file"), ("reason", "tls_on_plaintext")]));

        var client = new FileTransferClient(server.Client());
        Assert.Equal("a.bin", Assert.Single(await client.ListAsync()).Name);
        await client.GetAsync("a.bin", server.Downloads);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(server.Downloads, "a.bin")));
    }
}
