namespace Wirekit.Engines;

/// <summary>Why a session ended. Recorded once, at the first shutdown, and reported to the service and the logs.</summary>
public enum DisconnectReason
{
    /// <summary>The peer sent FIN (recv returned 0): the normal, graceful end.</summary>
    PeerClosed,

    /// <summary>The peer reset the connection (RST) or the network failed under it.</summary>
    PeerReset,

    /// <summary>Keepalive or an idle timeout found the peer dead or silent.</summary>
    Timeout,

    /// <summary>The peer did not read fast enough and its outgoing queue overflowed.</summary>
    SlowConsumer,

    /// <summary>The service closed the session (a protocol error, a flood, a quit command).</summary>
    ClosedByService,

    /// <summary>
    /// The service ended the session at once, with a reset: what is in flight must not be taken for complete (a file
    /// that changed while it was being sent, say).
    /// </summary>
    Aborted,

    /// <summary>The server is stopping.</summary>
    ServerShutdown,

    /// <summary>Refused at accept: the connection limit was reached.</summary>
    Refused,

    /// <summary>An unexpected socket error.</summary>
    Error,

    /// <summary>
    /// The peer did not complete its handshake in time (<see cref="ServerOptions.HandshakeTimeout"/>): no TLS handshake,
    /// or no first complete line, frame or header. A slow start, or a slowloris holding a slot.
    /// </summary>
    HandshakeTimeout,

    /// <summary>The TLS handshake failed: a plaintext client, no common protocol, a refused client certificate.</summary>
    TlsHandshakeFailed,
}
