using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wirekit.Tls;

namespace Wirekit.Tests.Tls;

/// <summary>
/// Certificates for the TLS tests, written as PEM into a folder of their own so real peers (openssl) can read them:
/// a self-signed server certificate for localhost and 127.0.0.1, and for mutual TLS a client CA, a client certificate
/// it issued (CN alice), and a second CA that issued nothing the server trusts.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public TestPki()
    {
        Folder = Directory.CreateTempSubdirectory("wirekit-tls-").FullName;
        using (var server = SelfSignedCertificate.Create(["localhost"], [IPAddress.Loopback], days: 2))
        {
            (ServerCertificatePath, ServerKeyPath) = SelfSignedCertificate.Write(server, Folder);
        }

        ServerCertificate = TlsCertificateFiles.LoadServerCertificate(ServerCertificatePath, ServerKeyPath);
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Authority = MakeAuthority("Wirekit test CA", authorityKey);
        AuthorityPath = WritePem("ca.pem", Authority.ExportCertificatePem());
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = MakeAuthority("Someone else's CA", otherKey);
        OtherAuthorityPath = WritePem("other-ca.pem", other.ExportCertificatePem());
        Alice = IssueClient("alice", Authority, authorityKey);
        Stranger = IssueClient("mallory", other, otherKey);
        WritePem("alice.pem", Alice.ExportCertificatePem());
        WritePem("alice.key", Alice.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    public X509Certificate2 ServerCertificate { get; }

    public X509Certificate2 Authority { get; }

    public string AuthorityPath { get; }

    public string OtherAuthorityPath { get; }

    /// <summary>CN alice, issued by <see cref="Authority"/>.</summary>
    public X509Certificate2 Alice { get; }

    /// <summary>CN mallory, issued by the other CA.</summary>
    public X509Certificate2 Stranger { get; }

    public string AliceCertificatePath => Path.Combine(Folder, "alice.pem");

    public string AliceKeyPath => Path.Combine(Folder, "alice.key");

    public TlsServerOptions Server(bool mutual = false) => new()
    {
        Certificate = ServerCertificate,
        ClientCertificateAuthorities = mutual ? TlsCertificateFiles.LoadAuthorities(AuthorityPath) : null,
    };

    public void Dispose()
    {
        ServerCertificate.Dispose();
        Authority.Dispose();
        Alice.Dispose();
        Stranger.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A certificate expired yesterday or valid from tomorrow, written as PEM cert + key; returns the cert's path.</summary>
    public string WriteOutOfDate(string name, bool expired)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = expired
            ? request.CreateSelfSigned(now.AddDays(-10), now.AddDays(-1))
            : request.CreateSelfSigned(now.AddDays(1), now.AddDays(10));
        WritePem(name + ".key", key.ExportPkcs8PrivateKeyPem());
        return WritePem(name + ".pem", certificate.ExportCertificatePem());
    }

    public string WritePem(string name, string pem)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, pem + "\n");
        return path;
    }

    private static X509Certificate2 MakeAuthority(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
    }

    /// <summary>A client certificate, its key attached and made persistent (SslStream on Linux cannot use an ephemeral key).</summary>
    private static X509Certificate2 IssueClient(string name, X509Certificate2 issuer, ECDsa issuerKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthentication)], false));
        var now = DateTimeOffset.UtcNow;
        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        using var issued = request.Create(issuer.SubjectName, generator, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
