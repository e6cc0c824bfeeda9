using System.Net;

namespace Wirekit.Transfer;

/// <summary>
/// Slows down guessing the server's --token, per client address. Each wrong token counts against the address;
/// from the <see cref="FreeGuesses"/>th on, the address is blocked for a time that doubles with every further
/// wrong guess (1 s, 2 s, 4 s ... at most <see cref="LongestBlock"/>), and while blocked its CMD_AUTH is refused
/// without being checked. The right token clears the address. The table is bounded (<see cref="Capacity"/>
/// addresses): entries expire <see cref="Memory"/> after their last wrong guess, and when it is full the entry
/// guessed longest ago goes first, so a flood of addresses costs memory once, not forever.
/// </summary>
internal sealed class TokenGuessBackoff(TimeProvider time)
{
    public const int FreeGuesses = FileServerDefaults.TokenFreeGuesses;
    public const int Capacity = 4096;

    public static readonly TimeSpan FirstBlock = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestBlock = FileServerDefaults.TokenLongestWait;
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);

    private readonly Dictionary<IPAddress, Entry> _entries = [];

    public TokenGuessBackoff()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Addresses remembered now (bounded by <see cref="Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>How long <paramref name="address"/> must still wait before a token of its is checked; zero when it need not.</summary>
    public TimeSpan BlockedFor(IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_entries)
        {
            return _entries.TryGetValue(Normalize(address), out var entry) && entry.BlockedUntil > now ? entry.BlockedUntil - now : TimeSpan.Zero;
        }
    }

    /// <summary>Counts a wrong token from <paramref name="address"/>, blocking it once it has used its free guesses.</summary>
    public void Failed(IPAddress address)
    {
        address = Normalize(address);
        var now = time.GetUtcNow();
        lock (_entries)
        {
            if (!_entries.TryGetValue(address, out var entry))
            {
                MakeRoom(now);
                entry = new Entry();
                _entries[address] = entry;
            }

            entry.Failures++;
            entry.LastFailure = now;
            if (entry.Failures >= FreeGuesses)
            {
                var doublings = Math.Min(entry.Failures - FreeGuesses, 16);
                var block = TimeSpan.FromTicks(Math.Min(FirstBlock.Ticks << doublings, LongestBlock.Ticks));
                entry.BlockedUntil = now + block;
            }
        }
    }

    /// <summary>The right token: the address starts afresh.</summary>
    public void Succeeded(IPAddress address)
    {
        lock (_entries)
        {
            _entries.Remove(Normalize(address));
        }
    }

    // One client seen over IPv4 and IPv6-mapped IPv4 is one address.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < Capacity)
        {
            return;
        }

        foreach (var (address, entry) in _entries.ToList())
        {
            if (entry.LastFailure + Memory <= now && entry.BlockedUntil <= now)
            {
                _entries.Remove(address);
            }
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Remove(_entries.MinBy(e => e.Value.LastFailure).Key);
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }
    }
}
