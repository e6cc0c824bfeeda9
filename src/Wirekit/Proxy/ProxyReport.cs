using System.Net;

namespace Wirekit.Proxy;

/// <summary>How a proxied connection ended.</summary>
public enum ProxyEnd
{
    /// <summary>Both sides closed (FIN each way): the normal end.</summary>
    Closed,

    /// <summary>The client reset the connection (RST); the target was reset in turn.</summary>
    ClientReset,

    /// <summary>The target reset the connection (RST); the client was reset in turn.</summary>
    TargetReset,

    /// <summary>The target could not be reached; the client was reset.</summary>
    TargetUnreachable,

    /// <summary>--limit-data was reached; both sides were closed.</summary>
    LimitData,

    /// <summary>--reset-after fired; both sides were reset.</summary>
    ResetFault,

    /// <summary>Refused at accept: --max-connections were open.</summary>
    Refused,

    /// <summary>The proxy was stopping.</summary>
    ProxyStopped,
}

/// <summary>One connection's account, written when it ends.</summary>
/// <param name="Id">Connection number, from 1 in accept order.</param>
/// <param name="Client">Who connected to the proxy.</param>
/// <param name="BytesUp">Bytes forwarded client to target.</param>
/// <param name="BytesDown">Bytes forwarded target to client.</param>
/// <param name="DroppedUp">Bytes read from the client and dropped by a blackhole.</param>
/// <param name="DroppedDown">Bytes read from the target and dropped by a blackhole.</param>
/// <param name="Faults">The faults that acted on this connection, as `up latency`, `down corrupt` ...</param>
/// <param name="End">How it ended.</param>
/// <param name="Duration">Accept to close.</param>
public sealed record ProxyConnectionReport(long Id, IPEndPoint Client, long BytesUp, long BytesDown, long DroppedUp, long DroppedDown,
    IReadOnlyList<string> Faults, ProxyEnd End, TimeSpan Duration)
{
    /// <summary>Bits flipped by --corrupt, both directions.</summary>
    public long Corrupted { get; init; }
}

/// <summary>The proxy's totals since it started.</summary>
public sealed record ProxyStats(long Accepted, long Refused, int Active, long BytesUp, long BytesDown, long Corrupted, IReadOnlyDictionary<ProxyEnd, long> Ends);
