using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Tls;

/// <summary>
/// TLS for a server: the certificate it proves itself with and, for mutual TLS, the authorities whose client
/// certificates it accepts. Protocols are TLS 1.2 and 1.3 only; cipher suites are the platform's defaults (OpenSSL's
/// on Linux), which are kept current by the system, not by us. Load files with <see cref="TlsCertificateFiles"/>.
/// </summary>
public sealed record TlsServerOptions
{
    /// <summary>TLS 1.2 and 1.3: every older version has known breaks (RFC 8996 deprecates 1.0 and 1.1).</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The server's certificate, with its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>
    /// Mutual TLS: when set, every client must present a certificate issued by one of these authorities (checked as a
    /// chain to them, not to the system's store); a client without one, or with another's, fails the handshake.
    /// Null (the default): no client certificate is asked for.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }
}
