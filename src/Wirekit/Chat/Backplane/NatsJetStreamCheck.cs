using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Wirekit.Chat.Backplane;

/// <summary>
/// Whether a NATS server can carry a room at all: the room's one order is a JetStream stream's (NatsStream), and
/// a server started without -js never will, however long a node retries. Asked once at start, so a wrong server is
/// one usage error instead of a node that waits, local-only, for something that cannot come.
/// </summary>
internal static class NatsJetStreamCheck
{
    public static string NoJetStream(BackplaneUrl url)
        => $"{url.Display} has no JetStream: start nats-server with -js (Wirekit keeps the room's total order in a JetStream stream)";

    /// <summary>The sentence for a server that answers but has no JetStream; null when it has, or cannot be reached (the node retries that).</summary>
    public static async Task<string?> ProblemAsync(BackplaneUrl url, CancellationToken cancellationToken)
    {
        await using var nats = new NatsConnection(NatsTransport.Options(url, NatsStreamLimits.Default) with { MaxReconnectRetry = 0 });
        try
        {
            await nats.ConnectAsync().AsTask().WaitAsync(url.ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            await new NatsJSContext(nats).GetAccountInfoAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NatsNoRespondersException || e.InnerException is NatsNoRespondersException)
        {
            return NoJetStream(url);
        }
    }
}
