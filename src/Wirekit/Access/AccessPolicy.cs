using System.Net;

namespace Wirekit.Access;

/// <summary>
/// Which peer addresses a server admits, by CIDR rules, with ncat's semantics: when any allow rule is given, only
/// addresses in an allow rule are admitted; an address in a deny rule is refused even when an allow rule matches it
/// (deny wins). No rules: everyone is admitted. An IPv4-mapped IPv6 peer (::ffff:a.b.c.d, what a dual-stack
/// listener sees) is matched as the IPv4 address it is.
/// </summary>
public sealed class AccessPolicy
{
    /// <summary>Admits everyone.</summary>
    public static readonly AccessPolicy Open = new();

    /// <summary>When non-empty, only peers in one of these blocks are admitted.</summary>
    public IReadOnlyList<IPNetwork> Allow { get; init; } = [];

    /// <summary>Peers in one of these blocks are refused, whatever <see cref="Allow"/> says.</summary>
    public IReadOnlyList<IPNetwork> Deny { get; init; } = [];

    /// <summary>True when there is no rule at all: admission then skips the check (and the peer address look-up).</summary>
    public bool IsOpen => Allow.Count == 0 && Deny.Count == 0;

    /// <summary>A policy from rule texts (<see cref="AddressRule.Parse"/>); throws <see cref="FormatException"/> naming the bad rule.</summary>
    public static AccessPolicy Parse(IEnumerable<string> allow, IEnumerable<string> deny) => new()
    {
        Allow = allow.Select(AddressRule.Parse).ToArray(),
        Deny = deny.Select(AddressRule.Parse).ToArray(),
    };

    /// <summary>True when <paramref name="address"/> may connect.</summary>
    public bool Admits(IPAddress address)
    {
        var plain = AddressRule.Plain(address);
        foreach (var network in Deny)
        {
            if (network.Contains(plain))
            {
                return false;
            }
        }

        if (Allow.Count == 0)
        {
            return true;
        }

        foreach (var network in Allow)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }

        return false;
    }
}
