using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.TlsClient;

/// <summary>
/// What a person sees when a client's TLS check fails, through the CLI's runner (the exact `error:` line and exit
/// code), against stunnel presenting each kind of certificate in front of a plaintext Wirekit file server.
/// `file list` is the client here because it reads a reply at once: a refused client certificate shows on that read.
/// </summary>
public sealed class TlsClientCliTests(TlsPeers peers) : IClassFixture<TlsPeers>
{
    [SkippableFact]
    public async Task A_certificate_from_the_given_CA_for_the_host_connected_to_is_accepted()
    {
        var (exit, _, errors) = await ListAsync(peers.GoodFile, "--ca", peers.Certificates.CaFile);

        Assert.Equal("", errors);
        Assert.Equal(ExitCodes.Success, exit);
    }

    [SkippableFact]
    public async Task An_RSA_certificate_is_accepted_too()
    {
        var (exit, _, errors) = await ListAsync(peers.RsaFile, "--ca", peers.Certificates.CaFile);

        Assert.Equal("", errors);
        Assert.Equal(ExitCodes.Success, exit);
    }

    [SkippableFact]
    public async Task A_certificate_for_another_name_is_refused_naming_both()
    {
        var (exit, _, errors) = await ListAsync(peers.LocalhostOnlyFile, "--ca", peers.Certificates.CaFile);

        Assert.Equal("error: certificate is for 'localhost', not '127.0.0.1'\n", errors);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task An_expired_certificate_is_refused_with_its_end_date()
    {
        var (exit, _, errors) = await ListAsync(peers.ExpiredFile, "--ca", peers.Certificates.CaFile);

        Assert.Equal("error: certificate expired on 2026-01-01\n", errors);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task A_self_signed_certificate_without_ca_says_which_flags_would_trust_it()
    {
        var (exit, _, errors) = await ListAsync(peers.SelfSignedFile, "--tls");

        Assert.Equal("error: self-signed certificate: pass --ca FILE or --pin SHA256\n", errors);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task A_private_CA_unknown_to_the_system_store_is_named()
    {
        var (exit, _, errors) = await ListAsync(peers.GoodFile, "--tls");

        Assert.Equal("error: unknown issuer 'CN=Wirekit Test CA': pass --ca FILE with the CA that issued it, or --pin SHA256\n", errors);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task The_right_pin_accepts_a_self_signed_certificate()
    {
        var pin = await peers.Certificates.FingerprintAsync(peers.SelfSignedCertificate);

        var (exit, _, errors) = await ListAsync(peers.SelfSignedFile, "--pin", pin);

        Assert.Equal("", errors);
        Assert.Equal(ExitCodes.Success, exit);
    }

    [SkippableFact]
    public async Task A_wrong_pin_is_refused_showing_the_fingerprint_the_server_has()
    {
        var (exit, _, errors) = await ListAsync(peers.GoodFile, "--pin", await peers.Certificates.FingerprintAsync(peers.SelfSignedCertificate));

        var actual = await peers.Certificates.FingerprintAsync(Path.Combine(peers.Certificates.Folder, "good.pem"));
        Assert.Equal($"error: certificate does not match the pinned fingerprint (it is {actual})\n", errors);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task Pin_and_insecure_together_are_a_usage_error()
    {
        var (exit, _, errors) = await ListAsync(peers.GoodFile, "--insecure", "--pin", "00");

        Assert.Equal("error: --insecure checks nothing, so --pin would be ignored: choose one\n", errors);
        Assert.Equal(ExitCodes.Usage, exit);
    }

    [SkippableFact]
    public async Task Bench_chat_with_tls_needs_the_address_of_a_TLS_chat_server()
    {
        var (exit, _, errors) = await RunAsync("bench", "chat", "--tls");

        Assert.Equal("error: the chat server started here speaks plaintext: give the address of a TLS chat server to bench with --tls\n", errors);
        Assert.Equal(ExitCodes.Usage, exit);
    }

    [SkippableFact]
    public async Task Insecure_accepts_anything_and_says_so_on_stderr()
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var (exit, _, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default,
            CliProcess.Command("file", "list", $"127.0.0.1:{peers.SelfSignedFile}", "--insecure"));

        Assert.Equal(TlsClientOptions.InsecureWarning + "\n", errors);
        Assert.Equal(ExitCodes.Success, exit);
    }

    [SkippableFact]
    public async Task A_server_requiring_a_client_certificate_accepts_ours()
    {
        var (exit, _, errors) = await ListAsync(peers.MutualFile, "--ca", peers.Certificates.CaFile, "--cert", peers.Client.Certificate, "--key", peers.Client.Key);

        Assert.Equal("", errors);
        Assert.Equal(ExitCodes.Success, exit);
    }

    // Through `echo connect` with nobody typing: in TLS 1.3 the refusal comes after the client's handshake, as an
    // alert then a close. A client that sent a request meanwhile may get a reset instead, which discards the alert
    // (file list would race); one that sends nothing always reads the alert.
    [SkippableFact]
    public async Task A_server_requiring_a_client_certificate_refuses_none_and_the_line_says_what_to_pass()
    {
        var (exit, output) = await EchoConnectAsync(peers.MutualEcho, "--ca", peers.Certificates.CaFile);

        Assert.Equal("error: the server requires a client certificate: pass --cert FILE --key FILE", output);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task A_client_certificate_from_another_CA_is_refused_with_the_servers_reason()
    {
        var self = peers.SelfSignedCertificate;

        var (exit, output) = await EchoConnectAsync(peers.MutualEcho, "--ca", peers.Certificates.CaFile, "--cert", self, "--key", Path.ChangeExtension(self, ".key"));

        Assert.Equal("error: the server refused the client certificate (tlsv1 alert unknown ca)", output);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    [SkippableFact]
    public async Task A_plaintext_server_is_told_apart_from_a_certificate_problem()
    {
        var (exit, _, errors) = await RunAsync("echo", "connect", $"127.0.0.1:{peers.PlainEchoPort}", "--ca", peers.Certificates.CaFile);

        Assert.StartsWith("error: TLS handshake failed: ", errors);
        Assert.Equal(ExitCodes.Failure, exit);
    }

    /// <summary>`echo connect` as a process whose stdin stays open and silent; its output (stdout and stderr) once it exits.</summary>
    private async Task<(int Exit, string Output)> EchoConnectAsync(int port, params string[] tls)
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        using var client = CliProcess.Start(["echo", "connect", $"127.0.0.1:{port}", .. tls]);
        var exit = await client.WaitForExitAsync(Deadline.Default);
        return (exit, client.Output);
    }

    private Task<(int Exit, string Output, string Errors)> ListAsync(int port, params string[] tls)
        => RunAsync(["file", "list", $"127.0.0.1:{port}", .. tls]);

    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        Skip.If(peers.Missing is not null, peers.Missing);
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CliRunner.RunAsync(CommandCatalog.Root(), args, output, errors, CancellationToken.None).WaitAsync(Deadline.Default);
        return (exit, output.ToString().ReplaceLineEndings("\n"), errors.ToString().ReplaceLineEndings("\n"));
    }
}
