using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Tls;

/// <summary>The select engine does not carry TLS (docs/architecture.md says why): the capability table refuses it, everywhere.</summary>
public sealed class TlsSelectEngineTests : IDisposable
{
    private const string Why = "the select engine serves every session from one readiness loop, and TLS needs a thread or task per session for its handshake";

    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void The_server_host_refuses_tls_on_select_with_the_tables_reason()
    {
        var refused = Assert.Throws<NotSupportedException>(() => ServerHost.Start(EngineKind.Select, new ServerOptions { Tls = _pki.Server() }, new EchoService()));

        Assert.Equal(Why, refused.Message);
        Assert.False(EngineCapabilities.Carries(EngineKind.Select, EngineFeatures.Tls));
    }

    [Fact]
    public async Task Echo_serve_refuses_select_with_tls_in_one_line_and_exit_2()
    {
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command(
            "echo", "serve", "-p", "0", "-e", "select", "--tls-cert", _pki.ServerCertificatePath, "--tls-key", _pki.ServerKeyPath));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: --engine select: {Why}; use iterative or threads or async with --tls-cert (see wirekit echo serve --help)", error.TrimEnd());
    }

    [Fact]
    public async Task Serve_tls_on_select_moves_echo_and_chat_to_async_and_says_so()
    {
        using var serve = CliProcess.Start(
            "serve", "-e", "select", "--echo-port", "0", "--chat-port", "0", "--file-port", "0", "--tls-cert", _pki.ServerCertificatePath, "--tls-key", _pki.ServerKeyPath);

        await serve.WaitForListeningPortAsync("file");

        Assert.Contains($"note: echo server runs on async: {Why}", serve.Output.Split('\n'));
        Assert.Matches(@"echo server \(async\) listening on 127\.0\.0\.1:\d+  try: openssl s_client -quiet -connect 127\.0\.0\.1:\d+", serve.Output);
        Assert.Matches(@"chat server \(async\) listening on", serve.Output);
    }
}
