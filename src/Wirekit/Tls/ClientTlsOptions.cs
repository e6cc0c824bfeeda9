namespace Wirekit.Tls;

/// <summary>
/// How a client checks the server it talks TLS to (TLS 1.2 or 1.3, the platform's cipher defaults). By default the
/// server's certificate must chain to the system's trusted roots and name the host connected to; <see cref="CaFile"/>
/// trusts a private CA instead, <see cref="Pin"/> trusts exactly one certificate, <see cref="Insecure"/> trusts
/// anything. Load once with <see cref="ClientTls.Load"/> and reuse for every connection.
/// </summary>
public sealed record ClientTlsOptions
{
    /// <summary>PEM file of the CA certificate(s) to trust instead of the system store; null uses the system store. Default null.</summary>
    public string? CaFile { get; init; }

    /// <summary>
    /// Accept exactly the certificate with this SHA-256 fingerprint and nothing else, whatever its names, issuer or
    /// dates (as ssh trusts a known host). Default none.
    /// </summary>
    public CertificateFingerprint? Pin { get; init; }

    /// <summary>Accept any certificate: the connection is encrypted but the server's identity is not checked. Default false.</summary>
    public bool Insecure { get; init; }

    /// <summary>PEM certificate this client presents when the server asks for one (mutual TLS); needs <see cref="KeyFile"/>. Default none.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>; null when the certificate file holds the key too. Default null.</summary>
    public string? KeyFile { get; init; }

    /// <summary>
    /// The name sent as SNI and checked against the certificate; null uses the host connected to. An IP address is
    /// checked against the certificate's IP entries and sent as no SNI (RFC 6066 allows host names only). Default null.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// Offer to resume an earlier TLS session with the same server (a shorter handshake). Default true; a bench of full
    /// handshakes turns it off.
    /// </summary>
    public bool AllowResumption { get; init; } = true;
}
