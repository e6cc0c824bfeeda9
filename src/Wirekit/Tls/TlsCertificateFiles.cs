using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Tls;

/// <summary>
/// Reads a server's certificate and key from files, checked once at start so a bad file is one clear error and not
/// a failed handshake per client: unreadable, no private key, a key of another certificate, expired or not yet valid.
/// PEM (certificate and key, in one file or two) or PKCS#12 (.p12/.pfx) with a password file.
/// </summary>
public static class TlsCertificateFiles
{
    private const string PemMarker = "-----BEGIN ";

    /// <summary>
    /// The certificate at <paramref name="certificatePath"/> with its private key: from <paramref name="keyPath"/>
    /// (PEM), or from the certificate file itself (PEM holding both, or PKCS#12 opened with the first line of
    /// <paramref name="passwordPath"/>). Throws <see cref="TlsCertificateException"/> with a message a person can act on.
    /// </summary>
    public static X509Certificate2 LoadServerCertificate(string certificatePath, string? keyPath = null, string? passwordPath = null)
    {
        var text = ReadText(certificatePath, "certificate");
        var certificate = text.Contains(PemMarker, StringComparison.Ordinal)
            ? LoadPem(certificatePath, keyPath, passwordPath)
            : LoadPkcs12(certificatePath, keyPath, passwordPath);
        try
        {
            CheckValidity(certificate, certificatePath, DateTime.UtcNow);
            return ForSslStream(certificate);
        }
        finally
        {
            certificate.Dispose();
        }
    }

    /// <summary>The authorities (PEM, one certificate or several) whose client certificates a mutual-TLS server accepts.</summary>
    public static X509Certificate2Collection LoadAuthorities(string path)
    {
        ReadText(path, "client CA");
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new TlsCertificateException($"'{path}' is not a PEM certificate file: {e.Message}", e);
        }

        return authorities.Count > 0 ? authorities
            : throw new TlsCertificateException($"'{path}' holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
    }

    /// <summary>Expired or not yet valid: every client would refuse it, so the server refuses to start with it.</summary>
    internal static void CheckValidity(X509Certificate2 certificate, string path, DateTime nowUtc)
    {
        if (certificate.NotAfter.ToUniversalTime() < nowUtc)
        {
            throw new TlsCertificateException($"certificate '{path}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: make a new one (wirekit cert create)");
        }

        if (certificate.NotBefore.ToUniversalTime() > nowUtc)
        {
            throw new TlsCertificateException($"certificate '{path}' is not valid until {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: check this machine's clock");
        }
    }

    private static X509Certificate2 LoadPem(string certificatePath, string? keyPath, string? passwordPath)
    {
        if (passwordPath is not null)
        {
            throw new TlsCertificateException($"a password file is for PKCS#12 (.p12/.pfx) certificates, and '{certificatePath}' is PEM: leave the password file out");
        }

        var keyFile = keyPath ?? certificatePath;
        var keyText = keyPath is null ? File.ReadAllText(certificatePath) : ReadText(keyPath, "key");
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new TlsCertificateException(keyPath is null
                ? $"'{certificatePath}' holds no private key: give the key file too"
                : $"'{keyPath}' holds no private key (expected -----BEGIN PRIVATE KEY-----)");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyFile);
        }
        catch (ArgumentException e)
        {
            // CreateFromPemFile's word for a key of another certificate (or of another algorithm).
            throw new TlsCertificateException($"the key in '{keyFile}' does not belong to the certificate in '{certificatePath}'", e);
        }
        catch (CryptographicException e)
        {
            throw new TlsCertificateException($"cannot read the certificate '{certificatePath}' with the key '{keyFile}': {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadPkcs12(string path, string? keyPath, string? passwordPath)
    {
        if (keyPath is not null)
        {
            throw new TlsCertificateException($"'{path}' is not PEM, so it is read as PKCS#12, which carries its own key: leave the key file out");
        }

        var password = passwordPath is null ? null : FirstLine(ReadText(passwordPath, "password"));
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException e)
        {
            throw new TlsCertificateException(passwordPath is null
                ? $"cannot read '{path}' as PEM or PKCS#12 ({e.Message}); a PKCS#12 file needs its password file"
                : $"cannot open the PKCS#12 file '{path}' with the password in '{passwordPath}': {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new TlsCertificateException($"'{path}' holds a certificate without its private key");
        }

        return certificate;
    }

    /// <summary>
    /// On Linux a key loaded from PEM is ephemeral, and SslStream cannot use an ephemeral key for a server; one
    /// export and import as PKCS#12 makes it a key SslStream takes. Done once, here, not per connection.
    /// </summary>
    private static X509Certificate2 ForSslStream(X509Certificate2 certificate)
    {
        var exported = certificate.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(exported, password: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exported);
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsCertificateException($"cannot read the {what} file '{path}': {Reason(e)}", e);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
