using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Wirekit.Chat.Backplane;

/// <summary>
/// How far the room's JetStream stream reaches. It is the room's order, not its history: memory only, old events
/// discarded first. A node that lags by more than this has lost events and reads on from "now" (NatsTransport).
/// </summary>
/// <param name="MaxMessages">Events the stream holds: 100,000, a few seconds of a busy room.</param>
/// <param name="MaxBytes">Bytes it holds: 64 MiB, a thousand events of the largest size.</param>
/// <param name="MaxAge">How long it holds one: 1 minute; a quiet room's stream empties.</param>
/// <param name="PendingMessages">Events the client holds for the node before it drops (and so re-reads) them.</param>
internal sealed record NatsStreamLimits(long MaxMessages, long MaxBytes, TimeSpan MaxAge, int PendingMessages)
{
    public static readonly NatsStreamLimits Default = new(100_000, 64 << 20, TimeSpan.FromMinutes(1), 65_536);
}

/// <summary>
/// The room's stream (docs/chat-protocol.md, "Scale-out"): it captures the room's subject, so nodes publish there
/// with plain core NATS, and its sequence numbers are the one order every node reads. Every node creates it (or
/// brings its settings up to date) when it connects: a restarted nats-server has lost it (memory storage).
/// </summary>
internal static class NatsStream
{
    public const string JetStreamOff = "JetStream is off: start nats-server with -js";

    public static string Subject(string room) => $"wirekit.chat.{room}";

    // A stream's name may not hold '.', which a room's may: '_' and '.' are escaped, so no two rooms share a stream.
    public static string Name(string room) => "wirekit-chat-" + room.Replace("_", "_u", StringComparison.Ordinal).Replace(".", "_d", StringComparison.Ordinal);

    /// <summary>Creates the stream or updates it; returns the sequence of its last event, after which a node starts reading.</summary>
    public static async Task<ulong> EnsureAsync(INatsJSContext js, string room, NatsStreamLimits limits, CancellationToken cancellationToken)
    {
        var config = new StreamConfig(Name(room), [Subject(room)])
        {
            Storage = StreamConfigStorage.Memory,
            Retention = StreamConfigRetention.Limits,
            Discard = StreamConfigDiscard.Old,
            MaxMsgs = limits.MaxMessages,
            MaxBytes = limits.MaxBytes,
            MaxAge = limits.MaxAge,
            // Nothing is published with a message id, so the window finds no duplicates; it must not exceed MaxAge.
            DuplicateWindow = TimeSpan.FromSeconds(1),
            NumReplicas = 1,
        };
        try
        {
            var stream = await js.CreateOrUpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
            return stream.Info.State.LastSeq;
        }
        catch (Exception e) when (e is NatsNoRespondersException || e.InnerException is NatsNoRespondersException)
        {
            // No server answers the JetStream API: nats-server runs without -js.
            throw new NatsException(JetStreamOff);
        }
    }
}
