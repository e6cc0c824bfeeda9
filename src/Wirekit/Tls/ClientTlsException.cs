namespace Wirekit.Tls;

/// <summary>Why a client's TLS connection failed; a front end words the remedy (which flag to pass) from this.</summary>
public enum ClientTlsFailure
{
    /// <summary>The handshake itself failed: no TLS on the other side, no common protocol version, an alert.</summary>
    Handshake,

    /// <summary>The certificate does not name the host connected to.</summary>
    NameMismatch,

    /// <summary>The certificate (or one of its issuers) is past its end date, or before its start date.</summary>
    Expired,

    /// <summary>The certificate signed itself and is not trusted: it needs a CA file or a pin.</summary>
    SelfSigned,

    /// <summary>The certificate's issuer is not among the trusted roots.</summary>
    UnknownIssuer,

    /// <summary>The certificate is not the pinned one.</summary>
    PinMismatch,

    /// <summary>Another verification failure (a bad signature, a wrong key usage...).</summary>
    Untrusted,

    /// <summary>The server asked for a client certificate, none was given, and it refused the connection.</summary>
    ClientCertificateRequired,

    /// <summary>The server refused the client certificate given.</summary>
    ClientCertificateRefused,

    /// <summary>A CA, certificate or key file could not be read.</summary>
    BadFile,
}

/// <summary>A TLS failure, its message one line that names the reason (<c>certificate expired on 2026-01-01</c>).</summary>
public sealed class ClientTlsException(ClientTlsFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ClientTlsFailure Failure { get; } = failure;
}
