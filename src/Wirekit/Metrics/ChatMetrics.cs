using System.Diagnostics;
using Wirekit.Engines;

namespace Wirekit.Metrics;

/// <summary>The chat room's feed into <see cref="Instruments"/>: deliveries and the members it drops.</summary>
internal sealed class ChatMetrics
{
    /// <summary>Until the room's server starts: counts nothing, so a room used without a server needs no checks.</summary>
    public static readonly ChatMetrics None = new(null);

    private readonly TagList _tags;
    private readonly bool _tagged;

    private ChatMetrics(IServer? server)
    {
        if (server is not null)
        {
            _tags = ServerTags.Of(server, "chat");
            _tagged = true;
        }
    }

    public static ChatMetrics For(IServer server) => new(server);

    /// <summary>A broadcast queued its line for one member.</summary>
    public void Delivered()
    {
        if (_tagged && Instruments.ChatDeliveries.Enabled)
        {
            Instruments.ChatDeliveries.Add(1, _tags);
        }
    }

    /// <summary>A member's queue overflowed during a broadcast: the engine closes it as a slow consumer.</summary>
    public void DroppedSlowConsumer() => Dropped("slow_consumer");

    /// <summary>A member sent past the flood limits and was disconnected.</summary>
    public void DroppedFlooding() => Dropped("flood");

    private void Dropped(string reason)
    {
        if (_tagged && Instruments.ChatDrops.Enabled)
        {
            var tags = _tags;
            tags.Add("reason", reason);
            Instruments.ChatDrops.Add(1, tags);
        }
    }
}
