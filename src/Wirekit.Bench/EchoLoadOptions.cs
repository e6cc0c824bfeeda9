using System.Net;

namespace Wirekit.Bench;

/// <summary>What <see cref="EchoLoadGenerator"/> does: the same method as the C reference client (echo_load.c).</summary>
public sealed record EchoLoadOptions
{
    /// <summary>The echo server. Required.</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>Connections opened, each with TCP_NODELAY. Default 1.</summary>
    public int Clients { get; init; } = 1;

    /// <summary>Messages kept in flight per connection: whenever n bytes come back, n more are sent. Default 1000.</summary>
    public int MessagesInFlight { get; init; } = 1000;

    /// <summary>Bytes per message. Default 32, the common echo benchmark's size.</summary>
    public int MessageSize { get; init; } = 32;

    /// <summary>The measured time. Default 10 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load before the measured time, excluded from every figure (JIT, TCP windows, server pools). Default 1 s.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Worker threads sharing the connections. Default 1: the C client is one thread too, and on a 2-core machine
    /// every client thread takes a core from the server being measured.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Limit for each connect. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After the measured time, how long to wait for the echoes still in flight so every byte is accounted. Default 2 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// TLS on every connection, or null for plaintext. Each connection's handshake runs before the warm-up, so it
    /// counts in no rate (<see cref="EchoLoadResult.HandshakeTime"/> says how long they took). The TLS connections are
    /// driven by async loops on the thread pool, not by <see cref="Threads"/> select loops. Default null.
    /// </summary>
    public TlsHandshake? Tls { get; init; }

    /// <summary>Bytes one connection keeps in flight: <see cref="MessagesInFlight"/> x <see cref="MessageSize"/>.</summary>
    public long BytesInFlight => (long)MessagesInFlight * MessageSize;

    /// <summary>The first rule these options break, or null when they break none.</summary>
    public OptionProblem? Problem() =>
        Clients < 1 ? new(nameof(Clients), "must be at least 1")
        : MessagesInFlight < 1 ? new(nameof(MessagesInFlight), "must be at least 1")
        : MessageSize < 1 ? new(nameof(MessageSize), "must be at least 1 byte")
        : Threads < 1 ? new(nameof(Threads), "must be at least 1")
        : Duration <= TimeSpan.Zero ? new(nameof(Duration), "must be more than 0")
        : Warmup < TimeSpan.Zero ? new(nameof(Warmup), "cannot be negative")
        // The latency queue and the stream offsets are sized from this; keep it far from overflow.
        : BytesInFlight > 1L << 30 ? new(nameof(BytesInFlight), "must stay within 1 GiB per connection")
        : null;
}
