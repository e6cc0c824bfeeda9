using System.Security.Cryptography.X509Certificates;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tls;

namespace Wirekit.Tests.Tls;

/// <summary>What a person sees of TLS from the CLI: bad files refused at start in one line, the banner, cert create, serve --tls.</summary>
public sealed class TlsServerCliTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    public static TheoryData<string, string> BadStarts() => new()
    {
        { "missing", "error: cannot read the certificate file '{0}/missing.pem': no such file" },
        { "no-key", "error: '{0}/cert.pem' holds no private key: give the key file too" },
        { "wrong-key", "error: the key in '{0}/alice.key' does not belong to the certificate in '{0}/cert.pem'" },
        { "expired", "error: certificate '{0}/expired.pem' expired on {1} UTC: make a new one (wirekit cert create)" },
        { "not-yet", "error: certificate '{0}/later.pem' is not valid until {1} UTC: check this machine's clock" },
        { "p12-no-password", "error: cannot read '{0}/server.p12' as PEM or PKCS#12 (The certificate data cannot be read with the provided password, the password may be incorrect.); a PKCS#12 file needs its password file" },
        { "missing-ca", "error: cannot read the client CA file '{0}/nope.pem': no such file" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_certificate_that_cannot_serve_is_one_error_line_and_exit_2(string what, string expected)
    {
        var folder = _pki.Folder;
        var (arguments, date) = what switch
        {
            "missing" => (new[] { "--tls-cert", $"{folder}/missing.pem" }, ""),
            "no-key" => (["--tls-cert", _pki.ServerCertificatePath], ""),
            "wrong-key" => (["--tls-cert", _pki.ServerCertificatePath, "--tls-key", _pki.AliceKeyPath], ""),
            "expired" => OutOfDate("expired", expired: true),
            "not-yet" => OutOfDate("later", expired: false),
            "p12-no-password" => (["--tls-cert", WritePkcs12()], ""),
            _ => (["--tls-cert", _pki.ServerCertificatePath, "--tls-key", _pki.ServerKeyPath, "--tls-client-ca", $"{folder}/nope.pem"], ""),
        };

        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command(["echo", "serve", "-p", "0", .. arguments]));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(string.Format(expected, folder, date), error.TrimEnd());
    }

    [Fact]
    public async Task A_pkcs12_certificate_with_its_password_file_serves_and_the_banner_shows_its_fingerprint()
    {
        var passwordFile = _pki.WritePem("password.txt", "s3cret");
        using var serve = CliProcess.Start("echo", "serve", "-p", "0", "--tls-cert", WritePkcs12(), "--tls-password-file", passwordFile);

        var port = await serve.WaitForListeningPortAsync("echo");
        await Deadline.UntilAsync(() => serve.Output.Contains("TLS on:"), "the TLS banner");

        Assert.Contains($"echo server (async) listening on 127.0.0.1:{port}  try: openssl s_client -quiet -connect 127.0.0.1:{port}", serve.Output.Split('\n'));
        Assert.Contains($"  TLS on: CN=localhost, SHA-256 fingerprint {CertificateFingerprint.Of(_pki.ServerCertificate)}", serve.Output.Split('\n'));
        await using var client = await TlsTestClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), _pki.ServerCertificate);
        await client.WriteLineAsync("pkcs12");
        Assert.Equal("pkcs12", await client.ReadLineAsync());
    }

    [SkippableFact]
    public async Task Cert_create_prints_the_fingerprint_openssl_computes_and_writes_a_private_key()
    {
        Skip.If(OpenSslClient.Binary is null, "openssl is not installed");
        var folder = Path.Combine(_pki.Folder, "made");

        var (exit, output, _) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command("cert", "create", "--name", "example.test", "--ip", "192.0.2.7", "--days", "30", "-o", folder));

        Assert.Equal(0, exit);
        var certificate = Path.Combine(folder, "cert.pem");
        var openssl = await ToolProcess.RunAsync(OpenSslClient.Binary!, "x509", "-noout", "-fingerprint", "-sha256", "-in", certificate);
        var fingerprint = openssl.Trim()["sha256 Fingerprint=".Length..];
        Assert.Contains($"SHA-256 fingerprint {fingerprint}", output.Split('\n'));
        var text = await ToolProcess.RunAsync(OpenSslClient.Binary!, "x509", "-noout", "-ext", "subjectAltName", "-in", certificate);
        Assert.Contains("DNS:example.test, IP Address:192.0.2.7", text);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "key.pem")));
        }

        var again = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command("cert", "create", "-o", folder));
        Assert.Equal(1, again.Exit);
        Assert.Equal($"error: {folder} already holds a certificate or key: pass --force to replace them, or choose another --output", again.Error.TrimEnd());
    }

    [Fact]
    public async Task Serve_tls_makes_its_certificate_once_and_uses_it_again()
    {
        var data = Path.Combine(_pki.Folder, "data");
        string[] Serve() => ["env", $"XDG_DATA_HOME={data}", .. CliProcess.Command("serve", "--tls", "--echo-port", "0", "--chat-port", "0", "--file-port", "0")];

        string first;
        using (var serve = CliProcess.StartCommand(Serve()))
        {
            await serve.WaitForListeningPortAsync("file");
            first = serve.Output;
        }

        using var again = CliProcess.StartCommand(Serve());
        await again.WaitForListeningPortAsync("file");

        var folder = Path.Combine(data, "wirekit", "tls");
        using var made = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "cert.pem"));
        var fingerprint = CertificateFingerprint.Of(made);
        Assert.Contains($"note: made a self-signed TLS certificate in {folder}; the next `serve --tls` uses it again", first.Split('\n'));
        Assert.Contains($"note: TLS certificate from {folder} (made by an earlier `serve --tls`)", again.Output.Split('\n'));
        Assert.Matches($@"chat server \(async\) listening on 127\.0\.0\.1:(\d+)  try: wirekit chat join --tls --pin {fingerprint} 127\.0\.0\.1:\1\n", again.Output);
        Assert.Matches($@"file server \(async\) listening on 127\.0\.0\.1:(\d+)  try: wirekit file list --tls --pin {fingerprint} 127\.0\.0\.1:\1   \(serving ", again.Output);
        Assert.Matches(@"echo server \(async\) listening on 127\.0\.0\.1:(\d+)  try: openssl s_client -quiet -connect 127\.0\.0\.1:\1\n", again.Output);
        Assert.Contains($"  TLS on: CN=localhost, SHA-256 fingerprint {fingerprint}", again.Output.Split('\n'));
    }

    private (string[] Arguments, string Date) OutOfDate(string name, bool expired)
    {
        var path = _pki.WriteOutOfDate(name, expired);
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        var date = (expired ? certificate.NotAfter : certificate.NotBefore).ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return (["--tls-cert", path, "--tls-key", Path.ChangeExtension(path, ".key")], date);
    }

    private string WritePkcs12()
    {
        var path = Path.Combine(_pki.Folder, "server.p12");
        File.WriteAllBytes(path, _pki.ServerCertificate.Export(X509ContentType.Pkcs12, "s3cret"));
        return path;
    }
}
