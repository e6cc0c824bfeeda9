using System.Diagnostics.Metrics;

namespace Wirekit.Metrics;

/// <summary>
/// The meter and every instrument on it, made once per process. Names are the contract (docs/metrics.md): an
/// exporter turns <c>wirekit.bytes.received</c> into <c>wirekit_bytes_received_total</c>.
/// </summary>
internal static class Instruments
{
    public static readonly Meter Meter = new(WirekitMetrics.MeterName);

    public static readonly Counter<long> ConnectionsAccepted = Meter.CreateCounter<long>(
        "wirekit.connections.accepted", "{connection}", "Connections admitted as sessions.");

    public static readonly Counter<long> ConnectionsRefused = Meter.CreateCounter<long>(
        "wirekit.connections.refused", "{connection}", "Connections refused, by reason (limit: the server's session limit; descriptors: the process's open-file budget; deny: the access rules; per_address: the per-address limit; handshake_timeout: admitted, then closed for not completing a handshake or first request in time; tls_on_plaintext: a TLS ClientHello on a plaintext port; password: a chat newcomer without the room's password).");

    public static readonly Counter<long> SessionsClosed = Meter.CreateCounter<long>(
        "wirekit.sessions.closed", "{session}", "Sessions ended, by the reason recorded at their first close (DisconnectReason).");

    public static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>(
        "wirekit.bytes.received", "By", "Bytes received from clients and handed to the service.");

    public static readonly Counter<long> BytesSent = Meter.CreateCounter<long>(
        "wirekit.bytes.sent", "By", "Bytes the kernel took from the sessions' outgoing queues.");

    public static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>(
        "wirekit.messages.received", "{receive}", "Receives handed to the service (one recv each: TCP keeps no message boundaries).");

    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>(
        "wirekit.messages.sent", "{message}", "Messages the service queued for a client (one ISession.Send each).");

    public static readonly Histogram<long> OutboundQueueBytes = Meter.CreateHistogram<long>(
        "wirekit.outbound_queue.bytes", "By", "A session's outgoing queue right after a message joined it: how far clients lag behind.");

    public static readonly Counter<long> ChatDeliveries = Meter.CreateCounter<long>(
        "wirekit.chat.deliveries", "{message}", "Chat lines a broadcast (a message, a join, a leave) queued for a member: one per member reached.");

    public static readonly Counter<long> ChatDrops = Meter.CreateCounter<long>(
        "wirekit.chat.drops", "{member}", "Members dropped by the room, by reason (slow_consumer: its queue overflowed; flood: it sent too fast).");

    public static readonly Counter<long> BackplanePublished = Meter.CreateCounter<long>(
        "wirekit.backplane.published", "{event}", "Chat room events this server published on its backplane (Redis, NATS).");

    public static readonly Counter<long> BackplaneReceived = Meter.CreateCounter<long>(
        "wirekit.backplane.received", "{event}", "Messages this server received from its backplane's channel, its own events included.");

    public static readonly Counter<long> BackplaneDropped = Meter.CreateCounter<long>(
        "wirekit.backplane.dropped", "{event}", "Backplane events dropped, by reason (queue_full: not published, delivered here only; invalid: a malformed message on the channel; slow_consumer: dropped by the client).");

    public static readonly Counter<long> FileBytesSent = Meter.CreateCounter<long>(
        "wirekit.file.bytes.sent", "By", "File content bytes sent by the file server (the zero-copy part of each transfer).");

    public static readonly Counter<long> FileRequests = Meter.CreateCounter<long>(
        "wirekit.file.requests", "{request}", "File server requests, by command code and result (ok, error: answered CMD_ERROR, failed: the connection ended in it).");

    public static readonly Counter<long> TlsHandshakes = Meter.CreateCounter<long>(
        "wirekit.tls.handshakes", "{handshake}", "TLS handshakes completed by the server.");

    public static readonly Counter<long> TlsHandshakeFailures = Meter.CreateCounter<long>(
        "wirekit.tls.handshake_failures", "{handshake}", "TLS handshakes that failed, by reason (not_tls: plaintext on a TLS port; client_certificate: mutual TLS refused it; protocol: no common version or cipher; closed: the client gave up).");

    /// <summary>The servers running now, for the sessions gauge; read only when a listener collects.</summary>
    private static readonly ServerSet Running = new();

    static Instruments()
    {
        Meter.CreateObservableUpDownCounter(
            "wirekit.connections.active", Running.ActiveSessions, "{connection}", "Sessions open right now.");
    }

    public static void Started(ServerMetrics server) => Running.Add(server);

    public static void Stopped(ServerMetrics server) => Running.Remove(server);
}
