using System.Diagnostics;
using Wirekit.Chat;

namespace Wirekit.Tests.Chat;

public sealed class FloodGuardTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Allows_the_burst_then_warns_once_then_disconnects()
    {
        var guard = new FloodGuard(ratePerSecond: 20, burst: 40, maxRepeats: 0, now: 0);

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(FloodVerdict.Allowed, guard.Check([(byte)i], 0));
        }

        Assert.Equal(FloodVerdict.Warn, guard.Check("x"u8, 0));
        Assert.Equal(FloodVerdict.Disconnect, guard.Check("y"u8, 0));
    }

    [Fact]
    public void An_unread_message_costs_a_token_but_is_never_a_repeat()
    {
        var guard = new FloodGuard(ratePerSecond: 20, burst: 3, maxRepeats: 1, now: 0);

        Assert.Equal(FloodVerdict.Allowed, guard.CheckUnread(0));
        Assert.Equal(FloodVerdict.Allowed, guard.CheckUnread(0));
        Assert.Equal(FloodVerdict.Allowed, guard.Check("last token"u8, 0));
        Assert.Equal(FloodVerdict.Warn, guard.CheckUnread(0));
    }

    [Fact]
    public void Refills_at_the_rate_so_a_steady_sender_is_never_warned()
    {
        var guard = new FloodGuard(ratePerSecond: 20, burst: 2, maxRepeats: 0, now: 0);

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(FloodVerdict.Allowed, guard.Check(BitConverter.GetBytes(i), i * Second / 20));
        }
    }

    [Fact]
    public void The_same_text_more_than_the_limit_in_a_row_is_flooding()
    {
        var guard = new FloodGuard(ratePerSecond: 0, burst: 0, maxRepeats: 3, now: 0);

        Assert.Equal(FloodVerdict.Allowed, guard.Check("spam"u8, 0));
        Assert.Equal(FloodVerdict.Allowed, guard.Check("spam"u8, 0));
        Assert.Equal(FloodVerdict.Allowed, guard.Check("spam"u8, 0));
        Assert.Equal(FloodVerdict.Warn, guard.Check("spam"u8, 0));
        Assert.Equal(FloodVerdict.Allowed, guard.Check("other"u8, 0));
        Assert.Equal(FloodVerdict.Allowed, guard.Check("spam"u8, 0));
    }

    [Fact]
    public void Rate_zero_and_repeats_zero_turn_both_checks_off()
    {
        var guard = new FloodGuard(ratePerSecond: 0, burst: 40, maxRepeats: 0, now: 0);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(FloodVerdict.Allowed, guard.Check("same"u8, 0));
        }
    }
}
