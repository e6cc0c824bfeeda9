using Wirekit.Tls;

namespace Wirekit.Engines.Sessions;

/// <summary>A TLS client on a plaintext port: told apart on its first bytes, logged (rate-limited) and closed.</summary>
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

        if (Context.AbnormalCloseLog.TryPass(out var suppressed))
        {
            SessionLog.TlsOnPlaintextPort(Context.Logger, Id, RemoteEndPoint, suppressed);
        }

        Close(DisconnectReason.ClosedByService);
        return true;
    }
}
