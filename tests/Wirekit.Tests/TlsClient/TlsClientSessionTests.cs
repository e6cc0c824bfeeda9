using System.IO.Hashing;
using Wirekit.Chat;
using Wirekit.Cli.Chat;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Transfer;
using Wirekit.Tls;
using Wirekit.Transfer;

namespace Wirekit.Tests.TlsClient;

/// <summary>
/// The clients' sessions over TLS with real peers: file downloads through stunnel (hash equal, parallel ranges,
/// --resume), echo through stunnel, `ncat --ssl` and `openssl s_server -tls1_2`, chat through stunnel.
/// </summary>
public sealed class TlsClientSessionTests(TlsPeers peers) : IClassFixture<TlsPeers>
{
    private ClientTls TrustingTestCa => ClientTls.Load(new ClientTlsOptions { CaFile = peers.Certificates.CaFile });

    [SkippableFact]
    public async Task File_get_over_TLS_writes_the_servers_bytes()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var folder = Directory.CreateTempSubdirectory("wirekit-tls-get-").FullName;
        try
        {
            var errors = new StringWriter();
            var exit = await CliRunner.RunAsync(CommandCatalog.Root(),
                ["file", "get", $"127.0.0.1:{peers.GoodFile}", TlsPeers.FileName, "--ca", peers.Certificates.CaFile, "-o", folder, "--quiet"],
                TextWriter.Null, errors, CancellationToken.None).WaitAsync(Deadline.Default);

            Assert.Equal("", errors.ToString());
            Assert.Equal(ExitCodes.Success, exit);
            Assert.Equal(XxHash128.HashToUInt128(peers.FileData), FileServerScope.Hash(Path.Join(folder, TlsPeers.FileName)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Parallel_ranges_each_handshake_and_assemble_the_file()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var options = peers.Files.Client(peers.GoodFile) with { Tls = TrustingTestCa, Parallel = 4 };
        var folder = Directory.CreateTempSubdirectory("wirekit-tls-parallel-").FullName;
        try
        {
            var result = await new FileTransferClient(options).GetAsync(TlsPeers.FileName, folder).WaitAsync(Deadline.Default);

            Assert.True(result.Verified);
            Assert.Equal(4, result.Connections);
            Assert.Equal(XxHash128.HashToUInt128(peers.FileData), FileServerScope.Hash(result.Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Resume_over_TLS_fetches_only_the_rest()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        const int kept = 1024 * 1024;
        var folder = Directory.CreateTempSubdirectory("wirekit-tls-resume-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Join(folder, TlsPeers.FileName + ".part"), peers.FileData.AsMemory(0, kept).ToArray());
            var options = peers.Files.Client(peers.GoodFile) with { Tls = TrustingTestCa, Resume = true };

            var result = await new FileTransferClient(options).GetAsync(TlsPeers.FileName, folder).WaitAsync(Deadline.Default);

            Assert.True(result.Verified);
            Assert.Equal(kept, result.Resumed);
            Assert.Equal(peers.FileData.Length - kept, result.Received);
            Assert.Equal(XxHash128.HashToUInt128(peers.FileData), FileServerScope.Hash(result.Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Echo_connect_over_TLS_through_stunnel_prints_the_reply()
    {
        Skip.If(peers.Missing is not null, peers.Missing);

        Assert.Equal("From server: hello over TLS\n", await EchoAsync(peers.GoodEcho, "hello over TLS"));
    }

    [SkippableFact]
    public async Task Echo_connect_over_TLS_to_ncat_ssl_with_an_RSA_certificate()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var ncat = ExternalServer.Find("ncat");
        Skip.If(ncat is null, "ncat is not installed");
        var (certificate, key) = (Path.Combine(peers.Certificates.Folder, "rsa.pem"), Path.Combine(peers.Certificates.Folder, "rsa.key"));
        var port = ExternalServer.FreePort();
        await using var server = ExternalServer.Start(ncat!, ["-v", "--ssl", "--ssl-cert", certificate, "--ssl-key", key, "-l", "127.0.0.1", port.ToString(), "-k", "-e", "/bin/cat"]);
        await server.WaitUntilReadyAsync(() => Task.FromResult(server.Log.Contains("Listening on")), Deadline.Default);

        Assert.Equal("From server: hello ncat\n", await EchoAsync(port, "hello ncat"));
    }

    [SkippableFact]
    public async Task Echo_connect_speaks_TLS_1_2_to_openssl_s_server()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var port = ExternalServer.FreePort();
        var (certificate, key) = (Path.Combine(peers.Certificates.Folder, "good.pem"), Path.Combine(peers.Certificates.Folder, "good.key"));
        // -rev answers each line reversed: proof the bytes went through openssl, not some other echo.
        await using var server = ExternalServer.Start("openssl", ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", certificate, "-key", key, "-tls1_2", "-rev"]);
        await server.WaitUntilReadyAsync(() => Task.FromResult(server.Log.Contains("ACCEPT")), Deadline.Default);

        Assert.Equal("From server: SLT revo\n", await EchoAsync(port, "over TLS"));
    }

    [SkippableFact]
    public async Task Chat_over_TLS_through_stunnel_carries_a_message_to_the_room()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        await using var client = await ChatClient.ConnectAsync("127.0.0.1", peers.GoodChat, CancellationToken.None, TrustingTestCa).WaitAsync(Deadline.Default);
        await using var lines = client.ReceiveLinesAsync(CancellationToken.None).GetAsyncEnumerator();

        await client.SendLineAsync("/nick tlsuser", CancellationToken.None);
        await client.SendLineAsync("hello room", CancellationToken.None);

        while (await lines.MoveNextAsync().AsTask().WaitAsync(Deadline.Default))
        {
            if (lines.Current == "<tlsuser> hello room")
            {
                return;
            }
        }

        Assert.Fail("the room closed before the message came back");
    }

    [SkippableFact]
    public async Task Chat_join_over_TLS_takes_its_name_says_its_lines_and_leaves_cleanly()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var output = new StringWriter();
        var settings = new ChatJoinSettings("127.0.0.1", peers.GoodChat, "carol", Reconnect: false) { Tls = TrustingTestCa };
        var runner = new ChatJoinRunner(settings, new PipedLineConsole(new StringReader("over TLS\n"), output));

        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Contains("<carol> over TLS", output.ToString().ReplaceLineEndings("\n").Split('\n'));
    }

    private async Task<string> EchoAsync(int port, string line)
    {
        var output = new StringWriter();
        var settings = new EchoConnectSettings(new ServerAddress("127.0.0.1", port), NoDelay: true, Bytewise: false, Nul: false, Quiet: true, Tls: TrustingTestCa);
        var exit = await EchoCommand.RunClientAsync(settings, new PipedLineConsole(new StringReader(line + "\n"), output), CancellationToken.None).WaitAsync(Deadline.Default);
        Assert.Equal(ExitCodes.Success, exit);
        return output.ToString().ReplaceLineEndings("\n");
    }
}
