using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Wirekit.Logging;
using Wirekit.Metrics;

namespace Wirekit.Chat.Backplane;

/// <summary>
/// One chat server's place on the backplane (docs/chat-protocol.md, "Scale-out"): it numbers and publishes the
/// room's events, hands what comes back from the channel to <see cref="ChatRoom.Apply"/> in the channel's order,
/// and applies its own events at once when it cannot publish them (the backplane is away, or the queue is full).
/// Its loops (connect, publish, heartbeat) are in BackplaneNode.Loops.cs.
/// </summary>
internal sealed partial class BackplaneNode : IRoomRelay, IBackplaneReceiver, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly ChatRoom _room;
    private readonly IBackplaneTransport _transport;
    private readonly ChatBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly byte[] _nodeName;

    // Published and not yet back from the channel, oldest first. Its bound is the publish queue's: an event past it
    // is applied for this server's members only. Back from the channel, an event leaves it; on a loss, every event
    // still in it is applied locally and `_floor` rises past them, so a late copy from the channel is ignored.
    private readonly Queue<Outgoing> _pending = new();
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new() { SingleReader = true });

    // Other nodes by id: name and when they were last heard (Stopwatch ticks); written by the receive thread and the heartbeat loop.
    private readonly Dictionary<long, (string Name, long LastHeard)> _nodes = [];
    private readonly LogThrottle _badMessages = new(5, TimeSpan.FromSeconds(10));
    private readonly LogThrottle _queueFull = new(5, TimeSpan.FromSeconds(10));
    private readonly LogThrottle _slowConsumer = new(5, TimeSpan.FromSeconds(10));
    private long _sequence;
    private long _floor;
    private bool _connected;
    private bool _everUnavailable;
    private bool _connectedOnce;

    // Whether this node's last hello came back from the channel. A subscription the library calls restored may not
    // be in place on the server yet (Redis resubscribes after it reports the connection back): the rosters that
    // answer a hello sent then are lost to this node, so it says hello again until it hears its own (Loops.cs).
    private bool _helloHeard = true;
    private long _helloSent;

    // Other nodes heard using this node's name, each judged once (docs/chat-protocol.md, "Node names"), and
    // whether this node's first hello has come back: what it heard of a namesake before that was there before it.
    private readonly HashSet<long> _namesakes = [];
    private bool _joined;

    public BackplaneNode(ChatRoom room, ChatBackplaneOptions options, IBackplaneTransport transport, ILogger logger)
    {
        _room = room;
        _options = options;
        _transport = transport;
        _logger = logger;
        NodeName = NodeNames.OrDefault(options.NodeName);
        _nodeName = Encoding.UTF8.GetBytes(NodeName);
        NodeId = Random.Shared.NextInt64(1, long.MaxValue);
    }

    public long NodeId { get; }

    public string NodeName { get; }

    public string Description => _transport.Description;

    /// <summary>Events published and not yet back from the channel.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Subscribed to the channel now: the room's events go through it.</summary>
    public bool Connected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    /// <summary>Where publishes, receives and drops are counted; set when the server starts.</summary>
    public ChatMetrics Metrics { get; set; } = ChatMetrics.None;

    public void Submit(BackplaneKind kind, ChatMember? member, string? name, ReadOnlySpan<byte> text)
        => Submit(kind, member?.Session.Id ?? 0, name, text, member);

    public void PublishRoster(IReadOnlyList<(long Id, bool Listed, string Name)> members)
    {
        // Several envelopes when one would pass its text bound: 10 bytes and the name per member.
        var chunk = new List<byte>(BackplaneEnvelope.MaxText);
        Span<byte> head = stackalloc byte[10];
        foreach (var (id, listed, memberName) in members)
        {
            var name = Encoding.UTF8.GetBytes(memberName);
            if (chunk.Count + 10 + name.Length > BackplaneEnvelope.MaxText)
            {
                Submit(BackplaneKind.Roster, 0, null, chunk.ToArray(), null);
                chunk.Clear();
            }

            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(head, id);
            head[8] = listed ? (byte)1 : (byte)0;
            head[9] = (byte)name.Length;
            chunk.AddRange(head);
            chunk.AddRange(name);
        }

        if (chunk.Count > 0)
        {
            Submit(BackplaneKind.Roster, 0, null, chunk.ToArray(), null);
        }
    }

    public void Rejoin() => SayHello();

    public void OnMessage(ReadOnlySpan<byte> message)
    {
        Metrics.BackplaneReceived();
        var problem = BackplaneEnvelope.TryRead(message, out var e);
        if (problem != EnvelopeProblem.None)
        {
            Metrics.BackplaneDropped("invalid");
            if (_badMessages.TryPass(out var before))
            {
                BackplaneLog.BadMessage(_logger, message.Length, problem, BackplaneLog.Suppressed(before));
            }

            return;
        }

        lock (_gate)
        {
            // While the node counts itself offline its room is local-only: what the subscription brings meanwhile
            // (it may be back before the library says so) would be forgotten at the restore anyway.
            if (!_connected)
            {
                return;
            }

            if (e.Node == NodeId)
            {
                if (e.Sequence <= _floor)
                {
                    return;
                }

                while (_pending.TryPeek(out var oldest) && oldest.Sequence <= e.Sequence)
                {
                    _pending.Dequeue();
                }

                if (e.Kind == BackplaneKind.Hello)
                {
                    _helloHeard = true;
                    _joined = true;
                }
            }
            else
            {
                Track(e);
            }
        }

        _room.Apply(e, this);
    }

    public void OnLost(string why)
    {
        Outgoing[] unsent;
        lock (_gate)
        {
            if (!_connected)
            {
                return;
            }

            _connected = false;
            _everUnavailable = true;
            unsent = [.. _pending];
            _pending.Clear();
            _floor = _sequence;
        }

        BackplaneLog.Lost(_logger, Description, why);
        _room.Notify(ChatWording.BackplaneUnavailable);

        // Lost with the connection, never to come back: this server's members get them now, as during the outage.
        foreach (var outgoing in unsent)
        {
            ApplyHere(outgoing.Bytes);
        }
    }

    public void OnRestored()
    {
        bool announce;
        lock (_gate)
        {
            if (_connected)
            {
                return;
            }

            announce = _everUnavailable;
            _nodes.Clear();
        }

        // Forgotten before the node takes the channel's events again: the rosters its hello brings start from nothing.
        _room.ForgetOtherNodes();
        lock (_gate)
        {
            if (_connected)
            {
                return;
            }

            _connected = true;
            _connectedOnce = true;
        }

        if (announce)
        {
            BackplaneLog.Restored(_logger, Description);
            _room.Notify(ChatWording.BackplaneRestored);
        }
        else
        {
            BackplaneLog.Connected(_logger, Description, NodeName, _options.Room);
        }

        SayHello();
    }

    /// <summary>Asks every node for its roster; said again until it comes back (<see cref="HelloAsync"/>).</summary>
    private void SayHello()
    {
        lock (_gate)
        {
            _helloHeard = false;
            _helloSent = Stopwatch.GetTimestamp();
        }

        Submit(BackplaneKind.Hello, 0, null, default, null);
    }

    public void OnStillUnusable(string why) => BackplaneLog.StillUnusable(_logger, Description, why);

    public void OnSlowConsumer()
    {
        Metrics.BackplaneDropped("slow_consumer");
        if (_slowConsumer.TryPass(out var before))
        {
            BackplaneLog.SlowConsumer(_logger, BackplaneLog.Suppressed(before));
        }
    }

    private void Submit(BackplaneKind kind, long member, string? name, ReadOnlySpan<byte> text, ChatMember? sender)
    {
        var nameBytes = name is null ? [] : Encoding.UTF8.GetBytes(name);
        bool queueFull;
        byte[] bytes;
        lock (_gate)
        {
            var envelope = new BackplaneEnvelope(kind, NodeId, ++_sequence, member, _nodeName, nameBytes, text);
            bytes = new byte[envelope.Length];
            envelope.Write(bytes);
            queueFull = _connected && _pending.Count >= _options.PublishQueueLimit;
            if (_connected && !queueFull)
            {
                var outgoing = new Outgoing(envelope.Sequence, bytes);
                _pending.Enqueue(outgoing);
                _outbox.Writer.TryWrite(outgoing);
                return;
            }
        }

        if (queueFull)
        {
            Metrics.BackplaneDropped("queue_full");
            if (_queueFull.TryPass(out var before))
            {
                BackplaneLog.QueueFull(_logger, _options.PublishQueueLimit, BackplaneLog.Suppressed(before));
            }
        }

        ApplyHere(bytes);
        if (queueFull && sender is not null && kind is BackplaneKind.Say or BackplaneKind.Act or BackplaneKind.Whisper)
        {
            _room.Reply(sender, ChatWording.NotDelivered);
        }
    }

    private void ApplyHere(byte[] bytes)
    {
        if (BackplaneEnvelope.TryRead(bytes, out var e) == EnvelopeProblem.None && e.Kind is not (BackplaneKind.Hello or BackplaneKind.Roster))
        {
            _room.Apply(e, this);
        }
    }

    /// <summary>Another node was heard from: it is alive, unless the event says it is gone.</summary>
    private void Track(in BackplaneEnvelope e)
    {
        if (e.NodeName.SequenceEqual(_nodeName) && _namesakes.Add(e.Node))
        {
            JudgeNamesake(e.Kind);
        }

        switch (e.Kind)
        {
            case BackplaneKind.Bye:
                _nodes.Remove(e.Node);
                break;
            case BackplaneKind.NodeLost:
                _nodes.Remove(e.Member);
                break;
            default:
                _nodes[e.Node] = (Encoding.UTF8.GetString(e.NodeName), Stopwatch.GetTimestamp());
                break;
        }
    }

    /// <summary>
    /// Another server uses this one's name. The newer of the two is the one that heard the other before its own
    /// first hello came back, or whose first word from the other was not a hello; both see the channel's one
    /// order, so exactly one of them finds itself newer. It says so loudly; the older one only notes it.
    /// </summary>
    private void JudgeNamesake(BackplaneKind firstHeard)
    {
        if (!_joined || firstHeard != BackplaneKind.Hello)
        {
            BackplaneLog.NameTaken(_logger, NodeName, _options.Room);
        }
        else
        {
            BackplaneLog.NameTakenByNewer(_logger, NodeName, _options.Room);
        }
    }

    /// <summary>An event published or waiting to be: its place in this node's order, and its bytes.</summary>
    private sealed record Outgoing(long Sequence, byte[] Bytes);
}
