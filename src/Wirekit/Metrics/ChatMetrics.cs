using Wirekit.Engines;

namespace Wirekit.Metrics;

/// <summary>The chat room's feed into <see cref="Instruments"/>: deliveries and the members it drops.</summary>
internal sealed class ChatMetrics : ServiceMetrics
{
    /// <summary>Until the room's server starts: counts nothing, so a room used without a server needs no checks.</summary>
    public static readonly ChatMetrics None = new(null);

    private ChatMetrics(IServer? server)
        : base(server, "chat")
    {
    }

    public static ChatMetrics For(IServer server) => new(server);

    /// <summary>A broadcast queued its line for one member.</summary>
    public void Delivered()
    {
        if (IsTagged && Instruments.ChatDeliveries.Enabled)
        {
            Instruments.ChatDeliveries.Add(1, Tags);
        }
    }

    /// <summary>A member's queue overflowed during a broadcast: the engine closes it as a slow consumer.</summary>
    public void DroppedSlowConsumer() => Dropped("slow_consumer");

    /// <summary>A member sent past the flood limits and was disconnected.</summary>
    public void DroppedFlooding() => Dropped("flood");

    /// <summary>A newcomer did not give the room's password (<see cref="Chat.ChatOptions.Password"/>): a refused connection.</summary>
    public void RefusedPassword()
    {
        if (IsTagged && Instruments.ConnectionsRefused.Enabled)
        {
            Instruments.ConnectionsRefused.Add(1, With("reason", "password"));
        }
    }

    /// <summary>The backplane node published one event.</summary>
    public void BackplanePublished() => Count(Instruments.BackplanePublished);

    /// <summary>One message came from the backplane's channel.</summary>
    public void BackplaneReceived() => Count(Instruments.BackplaneReceived);

    /// <summary>A backplane event was dropped: queue_full, invalid or slow_consumer.</summary>
    public void BackplaneDropped(string reason)
    {
        if (IsTagged && Instruments.BackplaneDropped.Enabled)
        {
            Instruments.BackplaneDropped.Add(1, With("reason", reason));
        }
    }

    private void Count(System.Diagnostics.Metrics.Counter<long> counter)
    {
        if (IsTagged && counter.Enabled)
        {
            counter.Add(1, Tags);
        }
    }

    private void Dropped(string reason)
    {
        if (IsTagged && Instruments.ChatDrops.Enabled)
        {
            Instruments.ChatDrops.Add(1, With("reason", reason));
        }
    }
}
