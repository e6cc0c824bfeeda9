using System.Net;

namespace Wirekit.Access;

/// <summary>
/// Connections open per peer address, for <c>--max-per-ip</c>: one address cannot take every slot. An entry exists
/// only while its address has a connection open (removed at zero), so memory follows the connections, not every
/// address ever seen. One lock: taken once per accept and once per close, never per message.
/// </summary>
internal sealed class AddressConnectionCounter(int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _open = new();
    private readonly Lock _lock = new();

    public int MaxPerAddress { get; } = maxPerAddress;

    /// <summary>Addresses with a connection open right now.</summary>
    public int Addresses
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="address"/>; false when it already holds its share. A taken slot is given back by <see cref="Release"/>.</summary>
    public bool TryAcquire(IPAddress address)
    {
        lock (_lock)
        {
            _open.TryGetValue(address, out var count);
            if (count >= MaxPerAddress)
            {
                return false;
            }

            _open[address] = count + 1;
            return true;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue(address, out var count))
            {
                return;
            }

            if (count <= 1)
            {
                _open.Remove(address);
            }
            else
            {
                _open[address] = count - 1;
            }
        }
    }

    /// <summary>Connections open from <paramref name="address"/>.</summary>
    public int OpenFrom(IPAddress address)
    {
        lock (_lock)
        {
            return _open.GetValueOrDefault(address);
        }
    }
}
