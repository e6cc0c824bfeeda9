namespace Wirekit.Tls;

/// <summary>Why a TLS handshake failed, as the log and the <c>wirekit.tls.handshake_failures</c> metric name it.</summary>
internal enum TlsHandshakeFailure
{
    /// <summary>The first byte was not a TLS handshake record (0x16): a plaintext client on a TLS port.</summary>
    NotTls,

    /// <summary>Mutual TLS: no client certificate, or one not issued by a trusted authority.</summary>
    ClientCertificate,

    /// <summary>No common protocol version or cipher suite, or a malformed handshake.</summary>
    Protocol,

    /// <summary>The client closed or reset the connection during the handshake (often: it did not trust our certificate).</summary>
    Closed,
}
