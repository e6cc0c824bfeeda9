using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Tls;

/// <summary>
/// Makes a self-signed server certificate (ECDSA P-256, SHA-256) for names and addresses, and writes it as PEM: what
/// `wirekit cert create` and `wirekit serve --tls` use. Self-signed means no authority vouches for it: clients trust
/// it by its fingerprint (a pin) or by being given the certificate file as their CA.
/// </summary>
public static class SelfSignedCertificate
{
    /// <summary>The certificate's file name in the folder <see cref="Write"/> is given.</summary>
    public const string CertificateFileName = "cert.pem";

    /// <summary>The private key's file name; written readable by its owner only.</summary>
    public const string KeyFileName = "key.pem";

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// A certificate for <paramref name="dnsNames"/> (the first is its subject's CN) and <paramref name="addresses"/>,
    /// valid from a minute ago (clocks differ a little) for <paramref name="days"/> days.
    /// </summary>
    public static X509Certificate2 Create(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        if (dnsNames.Count == 0 && addresses.Count == 0)
        {
            throw new ArgumentException("a certificate needs a name or an address to be for", nameof(dnsNames));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(dnsNames.Count > 0 ? dnsNames[0] : addresses[0].ToString());
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            alternativeNames.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            alternativeNames.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-1), now.AddDays(days));
    }

    /// <summary>
    /// Writes <paramref name="certificate"/> and its key as PEM into <paramref name="directory"/> (made if missing):
    /// <see cref="CertificateFileName"/> and <see cref="KeyFileName"/>, the key with mode 0600 on Unix. Returns both paths.
    /// </summary>
    public static (string CertificatePath, string KeyPath) Write(X509Certificate2 certificate, string directory)
    {
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        WriteKey(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        return (certificatePath, keyPath);
    }

    private static void WriteKey(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            options.UnixCreateMode = OwnerOnly;
            // UnixCreateMode applies only to a new file: an older key file is made private before the key goes in.
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
        writer.Write('\n');
    }
}
