using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Engines;

/// <summary>
/// One connected peer as a service sees it, whatever engine carries it. Sends never block: they queue bytes
/// that the engine flushes, so one stalled peer cannot hold up the caller (a chat broadcast, say).
/// </summary>
public interface ISession
{
    /// <summary>Server-unique number, in accept order.</summary>
    long Id { get; }

    IPEndPoint RemoteEndPoint { get; }

    /// <summary>Per-session state a service may keep (a chat name, a codec).</summary>
    object? State { get; set; }

    /// <summary>
    /// The certificate the client proved itself with over mutual TLS (<see cref="Tls.TlsServerOptions.ClientCertificateAuthorities"/>);
    /// null without TLS or without a client certificate.
    /// </summary>
    X509Certificate2? PeerCertificate => null;

    /// <summary>Bytes queued and not yet handed to the kernel.</summary>
    int QueuedBytes { get; }

    /// <summary>
    /// When true, the bytes of each <see cref="Send"/> reach the kernel in a send call of their own instead of being
    /// coalesced with the sends queued around them: for peers that read one message per recv (a C client printing one
    /// string per recv, say). False by default: coalescing is what makes a broadcast to many peers fast. TCP may still
    /// merge separate sends on the wire; this only stops the server from merging them first.
    /// </summary>
    bool KeepsSendBoundaries { get; set; }

    /// <summary>
    /// Copies <paramref name="data"/> to the session's outgoing queue. Returns false, and closes the session as a
    /// slow consumer, when the queue would exceed its bound.
    /// </summary>
    bool Send(ReadOnlySpan<byte> data);

    /// <summary>
    /// Tells the server that the peer's first complete unit has arrived (a line, a request header, a byte for echo):
    /// the connection is a real client and the handshake deadline (<see cref="ServerOptions.HandshakeTimeout"/>) no
    /// longer applies to it. Called by services that say so (<see cref="IServerService.MarksEstablished"/>); later calls
    /// cost a field read.
    /// </summary>
    void MarkEstablished()
    {
    }

    /// <summary>
    /// True while the handshake deadline still runs for this session: it is held to one and has not been marked
    /// established. A chat room does not announce such a newcomer on a timer: a slowloris crowd would be announced to
    /// everyone, and its leaving too (two broadcasts to N members for each of N connections).
    /// </summary>
    bool AwaitingHandshake => false;

    /// <summary>Flushes what is queued, then closes. Safe to call more than once and from any thread; the first reason wins.</summary>
    void Close(DisconnectReason reason);
}
