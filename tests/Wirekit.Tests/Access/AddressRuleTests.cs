using System.Net;
using Wirekit.Access;

namespace Wirekit.Tests.Access;

/// <summary>CIDR rules as a person writes them, the reasons given for mistyped ones, and the allow/deny semantics.</summary>
public sealed class AddressRuleTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("127.0.0.2", "127.0.0.2/32")]
    [InlineData(" 192.168.1.0/24 ", "192.168.1.0/24")]
    [InlineData("::1", "::1/128")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3/32")]
    public void Reads_blocks_and_single_addresses(string text, string expected)
        => Assert.Equal(expected, AddressRule.Parse(text).ToString());

    [Theory]
    [InlineData("10.0.0.1/24", "'10.0.0.1/24' has host bits set: the /24 block is 10.0.0.0/24")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33': the prefix after / must be a number of bits from 0 to 32 for an IPv4 address")]
    [InlineData("::/129", "'::/129': the prefix after / must be a number of bits from 0 to 128 for an IPv6 address")]
    [InlineData("10.0.0.0/-1", "'10.0.0.0/-1': the prefix after / must be a number of bits from 0 to 32 for an IPv4 address")]
    [InlineData("10.0.0.0/", "'10.0.0.0/': the prefix after / must be a number of bits from 0 to 32 for an IPv4 address")]
    [InlineData("localhost", "'localhost' is not an address or CIDR block: write an IPv4 or IPv6 address, optionally followed by /prefix (10.0.0.0/8, 127.0.0.2, ::1, 2001:db8::/32)")]
    [InlineData("300.1.1.1", "'300.1.1.1' is not an address or CIDR block: write an IPv4 or IPv6 address, optionally followed by /prefix (10.0.0.0/8, 127.0.0.2, ::1, 2001:db8::/32)")]
    [InlineData("fe80::1%2", "'fe80::1%2' is not an address or CIDR block: write an IPv4 or IPv6 address, optionally followed by /prefix (10.0.0.0/8, 127.0.0.2, ::1, 2001:db8::/32)")]
    public void A_mistyped_rule_is_refused_with_the_reason(string text, string reason)
        => Assert.Equal(reason, Assert.Throws<FormatException>(() => AddressRule.Parse(text)).Message);

    [Fact]
    public void No_rules_admit_everyone()
    {
        var open = AccessPolicy.Parse([], []);
        Assert.True(open.IsOpen);
        Assert.True(open.Admits(IPAddress.Parse("203.0.113.9")));
        Assert.True(open.Admits(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Once_an_allow_is_given_only_its_blocks_are_admitted()
    {
        var policy = AccessPolicy.Parse(["10.0.0.0/8", "::1"], []);
        Assert.True(policy.Admits(IPAddress.Parse("10.20.30.40")));
        Assert.True(policy.Admits(IPAddress.IPv6Loopback));
        Assert.False(policy.Admits(IPAddress.Parse("11.0.0.1")));
        Assert.False(policy.Admits(IPAddress.Loopback));
    }

    [Fact]
    public void Deny_wins_over_allow()
    {
        var policy = AccessPolicy.Parse(["10.0.0.0/8"], ["10.0.0.66"]);
        Assert.True(policy.Admits(IPAddress.Parse("10.0.0.65")));
        Assert.False(policy.Admits(IPAddress.Parse("10.0.0.66")));
    }

    [Fact]
    public void Deny_alone_refuses_its_blocks_and_admits_the_rest()
    {
        var policy = AccessPolicy.Parse([], ["127.0.0.2/32", "2001:db8::/32"]);
        Assert.False(policy.Admits(IPAddress.Parse("127.0.0.2")));
        Assert.False(policy.Admits(IPAddress.Parse("2001:db8::5")));
        Assert.True(policy.Admits(IPAddress.Loopback));
    }

    [Fact]
    public void An_ipv4_mapped_peer_matches_ipv4_rules()
    {
        // What a dual-stack listener reports for an IPv4 client.
        var mapped = IPAddress.Parse("::ffff:192.168.1.7");
        Assert.False(AccessPolicy.Parse([], ["192.168.1.0/24"]).Admits(mapped));
        Assert.True(AccessPolicy.Parse(["192.168.1.0/24"], []).Admits(mapped));
        Assert.False(AccessPolicy.Parse(["::1"], []).Admits(mapped));
    }

    [Fact]
    public void A_policy_names_the_bad_rule()
        => Assert.Equal("'10.0.0.1/8' has host bits set: the /8 block is 10.0.0.0/8", Assert.Throws<FormatException>(() => AccessPolicy.Parse(["127.0.0.1"], ["10.0.0.1/8"])).Message);
}
