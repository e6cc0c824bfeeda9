using System.Net;
using Wirekit.Access;

namespace Wirekit.Tests.Access;

/// <summary>The per-address tables stay bounded: the connection count forgets an address at zero, the log table never grows past its size.</summary>
public sealed class AddressTableTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");

    [Fact]
    public void The_counter_refuses_past_the_share_and_forgets_an_address_at_zero()
    {
        var counter = new AddressConnectionCounter(maxPerAddress: 2);
        Assert.True(counter.TryAcquire(A));
        Assert.True(counter.TryAcquire(A));
        Assert.False(counter.TryAcquire(A));
        Assert.True(counter.TryAcquire(B));
        Assert.Equal(2, counter.Addresses);

        counter.Release(A);
        Assert.True(counter.TryAcquire(A));
        counter.Release(A);
        counter.Release(A);
        counter.Release(B);
        Assert.Equal(0, counter.Addresses);
        Assert.Equal(0, counter.OpenFrom(A));

        counter.Release(A); // one too many (a double close) must not go negative and admit a third
        Assert.Equal(0, counter.Addresses);
    }

    [Fact]
    public void The_log_passes_once_per_address_per_interval_and_carries_the_count_of_the_rest()
    {
        var log = new AddressLogThrottle(TimeSpan.FromMinutes(1));
        Assert.True(log.TryPass(A, out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 9; i++)
        {
            Assert.False(log.TryPass(A, out _));
        }

        Assert.True(log.TryPass(B, out _));
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public void A_zero_interval_passes_every_event_with_the_count_before_it()
    {
        var log = new AddressLogThrottle(TimeSpan.Zero);
        Assert.True(log.TryPass(A, out _));
        Assert.True(log.TryPass(A, out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void The_log_table_never_holds_more_addresses_than_its_size_and_the_overflow_is_bounded_too()
    {
        var log = new AddressLogThrottle(TimeSpan.FromMinutes(1), capacity: 100);
        var passed = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (log.TryPass(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)), out _))
            {
                passed++;
            }
        }

        Assert.Equal(100, log.Count);
        // The first 100 addresses get a line each; the 9,900 past the table share the overflow's burst of 5.
        Assert.Equal(105, passed);
    }
}
