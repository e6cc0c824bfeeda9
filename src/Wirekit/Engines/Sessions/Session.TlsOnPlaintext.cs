using Wirekit.Tls;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// A TLS client on a plaintext port: told apart on its first bytes, logged (rate-limited), counted as a refusal
/// (<c>tls_on_plaintext</c>) and closed. A byte-stream session judges its first delivery here; a connection handler
/// reads for itself and says what it found through <see cref="ServerBase.RefuseTlsOnPlaintext"/>, which ends here too.
/// </summary>
internal abstract partial class Session
{
    private bool _delivered;

    /// <summary>
    /// Runs once, on the first bytes a plaintext session receives; true when they are a TLS ClientHello and the
    /// session was closed instead of handing them to the service (an echo would send the handshake back, a chat would
    /// make a member of it). A TLS server's sessions deliver decrypted bytes and are not judged.
    /// </summary>
    private bool FirstDelivery(ReadOnlySpan<byte> data)
    {
        _delivered = true;
        if (Context.Tls is not null || !TlsClientHello.Opens(data))
        {
            return false;
        }

        RefuseTlsOnPlaintext();
        return true;
    }

    /// <summary>The peer opened with a TLS ClientHello on this plaintext port: says so in the log, counts it, closes.</summary>
    internal void RefuseTlsOnPlaintext()
    {
        Context.Metrics.Refused(Refusal.TlsOnPlaintext);
        if (Context.AbnormalCloseLog.TryPass(out var suppressed))
        {
            SessionLog.TlsOnPlaintextPort(Context.Logger, Id, RemoteEndPoint, suppressed);
        }

        Close(DisconnectReason.ClosedByService);
    }
}
