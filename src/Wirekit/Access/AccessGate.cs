using System.Net;
using Wirekit.Engines;
using Wirekit.Engines.Sessions;

namespace Wirekit.Access;

/// <summary>
/// One server's access control at admission: its CIDR rules, the per-address connection count, and the per-address
/// log tables of the refusals and handshake timeouts (a line per address per minute). With no rule and no
/// per-address limit it is inactive, and admission does not even look up the peer's address.
/// </summary>
internal sealed class AccessGate
{
    /// <summary>A refused or stalled address is logged once per this interval, with the count of the rest.</summary>
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly AccessPolicy _policy;
    private readonly AddressConnectionCounter? _perAddress;

    public AccessGate(ServerOptions options)
    {
        _policy = options.Access ?? AccessPolicy.Open;
        _perAddress = options.MaxConnectionsPerAddress > 0 ? new AddressConnectionCounter(options.MaxConnectionsPerAddress) : null;
        IsActive = !_policy.IsOpen || _perAddress is not null;
    }

    /// <summary>True when admission must know the peer's address to decide.</summary>
    public bool IsActive { get; }

    public int MaxPerAddress => _perAddress?.MaxPerAddress ?? 0;

    /// <summary>Peer addresses holding a connection now (those counted for the per-address limit).</summary>
    public int AddressesOpen => _perAddress?.Addresses ?? 0;

    public AddressLogThrottle DeniedLog { get; } = new(LogInterval);

    public AddressLogThrottle PerAddressLog { get; } = new(LogInterval);

    public AddressLogThrottle HandshakeTimeoutLog { get; } = new(LogInterval);

    /// <summary>
    /// Decides for a peer address (as people write it: a.b.c.d, not ::ffff:a.b.c.d): null when admitted, having taken
    /// its per-address slot (given back by <see cref="Release"/>), else why not.
    /// </summary>
    public Refusal? TryAdmit(IPAddress address)
    {
        if (!_policy.Admits(address))
        {
            return Refusal.Denied;
        }

        return _perAddress is null || _perAddress.TryAcquire(address) ? null : Refusal.PerAddressLimit;
    }

    /// <summary>Gives back the per-address slot an admitted connection took; nothing for a null address (the gate was inactive).</summary>
    public void Release(IPAddress? address)
    {
        if (address is not null)
        {
            _perAddress?.Release(address);
        }
    }
}
