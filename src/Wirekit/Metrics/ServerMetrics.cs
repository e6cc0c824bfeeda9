using System.Diagnostics;
using Wirekit.Engines;
using Wirekit.Engines.Sessions;

namespace Wirekit.Metrics;

/// <summary>
/// One server's feed into <see cref="Instruments"/>: its tags made once, and one call per event the engines share
/// (admission, a receive, a queued message, a send, a close). Each call first asks whether anyone listens, so with
/// no listener an event costs a field read and a branch.
/// </summary>
internal sealed class ServerMetrics
{
    private static readonly string[] CloseReasons = Enum.GetValues<DisconnectReason>().Select(ServerTags.Snake).ToArray();

    private readonly Func<int> _activeSessions;

    public ServerMetrics(TagList tags, Func<int> activeSessions)
    {
        Tags = tags;
        _activeSessions = activeSessions;
    }

    /// <summary>server, engine and port.</summary>
    public TagList Tags { get; }

    public int ActiveSessions() => _activeSessions();

    public void Accepted()
    {
        if (Instruments.ConnectionsAccepted.Enabled)
        {
            Instruments.ConnectionsAccepted.Add(1, Tags);
        }
    }

    public void Refused(Refusal refusal)
    {
        if (Instruments.ConnectionsRefused.Enabled)
        {
            Instruments.ConnectionsRefused.Add(1, With("reason", refusal switch
            {
                Refusal.SessionLimit => "limit",
                Refusal.OutOfDescriptors => "descriptors",
                Refusal.Denied => "deny",
                Refusal.PerAddressLimit => "per_address",
                Refusal.TlsOnPlaintext => "tls_on_plaintext",
                _ => "handshake_timeout",
            }));
        }
    }

    public void Closed(DisconnectReason reason)
    {
        if (Instruments.SessionsClosed.Enabled)
        {
            Instruments.SessionsClosed.Add(1, With("reason", CloseReasons[(int)reason]));
        }
    }

    public void Received(int bytes)
    {
        if (Instruments.BytesReceived.Enabled)
        {
            Instruments.BytesReceived.Add(bytes, Tags);
        }

        if (Instruments.MessagesReceived.Enabled)
        {
            Instruments.MessagesReceived.Add(1, Tags);
        }
    }

    /// <summary>A message joined a session's queue, which now holds <paramref name="queuedBytes"/>.</summary>
    public void Queued(int queuedBytes)
    {
        if (Instruments.MessagesSent.Enabled)
        {
            Instruments.MessagesSent.Add(1, Tags);
        }

        if (Instruments.OutboundQueueBytes.Enabled)
        {
            Instruments.OutboundQueueBytes.Record(queuedBytes, Tags);
        }
    }

    public void Sent(int bytes)
    {
        if (Instruments.BytesSent.Enabled)
        {
            Instruments.BytesSent.Add(bytes, Tags);
        }
    }

    /// <summary>The server's tags and one more; only built when someone listens.</summary>
    public TagList With(string key, object value)
    {
        var tags = Tags;
        tags.Add(key, value);
        return tags;
    }
}
