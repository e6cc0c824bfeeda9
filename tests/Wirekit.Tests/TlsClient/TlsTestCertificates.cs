using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.TlsClient;

/// <summary>
/// Certificates made by openssl for one test class, in a temporary folder deleted on dispose: a CA, server
/// certificates it signs (good, expired, for another name), a self-signed one, and a client certificate for mutual
/// TLS. ECDSA P-256 unless RSA is asked for. openssl 3.0 has no -not_after, so the expired one is signed by
/// `openssl ca` with explicit start and end dates.
/// </summary>
internal sealed class TlsTestCertificates : IDisposable
{
    private int _serial = 1;

    private TlsTestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>The test CA's certificate: what --ca trusts.</summary>
    public string CaFile => Path.Combine(Folder, "ca.pem");

    public static bool OpensslAvailable => ExternalServer.Find("openssl") is not null;

    public static async Task<TlsTestCertificates> CreateAsync()
    {
        var certificates = new TlsTestCertificates(Directory.CreateTempSubdirectory("wirekit-tls-").FullName);
        await certificates.OpensslAsync(["req", "-x509", .. KeyArguments(rsa: false), "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
            "-subj", "/CN=Wirekit Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        await File.WriteAllTextAsync(Path.Combine(certificates.Folder, "index.txt"), "");
        await File.WriteAllTextAsync(Path.Combine(certificates.Folder, "ca.cnf"), CaConfig);
        return certificates;
    }

    /// <summary>A certificate signed by the test CA for <paramref name="names"/> (DNS names or IP addresses); returns (cert, key) paths.</summary>
    public async Task<(string Certificate, string Key)> IssueAsync(string label, string[] names, bool rsa = false, bool expired = false, bool client = false)
    {
        var (certificate, key, request) = Paths(label);
        var usage = client ? "extendedKeyUsage=clientAuth" : "extendedKeyUsage=serverAuth";
        await OpensslAsync(["req", .. KeyArguments(rsa), "-keyout", key, "-out", request, "-subj", $"/CN={names[0]}",
            "-addext", SubjectAltName(names), "-addext", usage]);
        var serial = (_serial++).ToString("x2");
        await File.WriteAllTextAsync(Path.Combine(Folder, "serial"), serial + "\n");
        string[] dates = expired ? ["-startdate", "20250101000000Z", "-enddate", "20260101000000Z"] : ["-days", "30"];
        await OpensslAsync(["ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", request, "-out", certificate, "-notext", .. dates]);
        return (certificate, key);
    }

    /// <summary>A self-signed certificate (issuer = subject, no CA behind it).</summary>
    public async Task<(string Certificate, string Key)> SelfSignedAsync(string label, string[] names, bool rsa = false)
    {
        var (certificate, key, _) = Paths(label);
        await OpensslAsync(["req", "-x509", .. KeyArguments(rsa), "-keyout", key, "-out", certificate, "-days", "30",
            "-subj", $"/CN={names[0]}", "-addext", SubjectAltName(names)]);
        return (certificate, key);
    }

    /// <summary>What `openssl x509 -fingerprint -sha256` prints after the '=': the value --pin takes.</summary>
    public async Task<string> FingerprintAsync(string certificate)
    {
        var output = await ToolProcess.RunAsync("openssl", "x509", "-in", certificate, "-noout", "-fingerprint", "-sha256");
        return output.Trim()[(output.IndexOf('=') + 1)..];
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private (string Certificate, string Key, string Request) Paths(string label)
        => (Path.Combine(Folder, label + ".pem"), Path.Combine(Folder, label + ".key"), Path.Combine(Folder, label + ".csr"));

    private static string[] KeyArguments(bool rsa)
        => rsa ? ["-newkey", "rsa:2048", "-nodes"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

    private static string SubjectAltName(string[] names)
        => "subjectAltName=" + string.Join(',', names.Select(n => System.Net.IPAddress.TryParse(n, out _) ? $"IP:{n}" : $"DNS:{n}"));

    private async Task OpensslAsync(string[] arguments)
    {
        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, ["sh", "-c", "cd \"$0\" && exec openssl \"$@\"", Folder, .. arguments]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)}: exit {exit}: {error}");
        }
    }

    // The smallest `openssl ca` setup: it copies the request's extensions (names, usage) and accepts any subject.
    private const string CaConfig = """
        [ ca ]
        default_ca = test
        [ test ]
        database = index.txt
        new_certs_dir = .
        serial = serial
        default_md = sha256
        policy = any
        copy_extensions = copy
        unique_subject = no
        [ any ]
        commonName = supplied
        """;
}
