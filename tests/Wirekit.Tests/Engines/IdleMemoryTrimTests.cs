using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Engines.Sessions;

namespace Wirekit.Tests.Engines;

public sealed class IdleMemoryTrimTests
{
    [Fact]
    public void Collects_once_after_a_crowd_has_gone_and_stayed_gone()
    {
        var trim = new IdleMemoryTrim(new SessionRegistry(int.MaxValue, 1), NullLogger.Instance);

        Assert.False(trim.Check(1_000, 1_000));
        Assert.False(trim.Check(50, 1_000)); // first quiet check: may be a pause between waves
        Assert.True(trim.Check(50, 50));
        Assert.False(trim.Check(50, 50)); // nothing new to give back until another crowd has come and gone
        Assert.False(trim.Check(40, 40));
    }

    [Fact]
    public void Never_collects_for_a_small_or_a_steady_server()
    {
        var trim = new IdleMemoryTrim(new SessionRegistry(int.MaxValue, 1), NullLogger.Instance);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(trim.Check(IdleMemoryTrim.MinimumPeak - 1, IdleMemoryTrim.MinimumPeak - 1));
            Assert.False(trim.Check(0, 0));
        }

        var steady = new IdleMemoryTrim(new SessionRegistry(int.MaxValue, 1), NullLogger.Instance);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(steady.Check(5_000 - (i * 100), 5_000 - (i * 100)));
        }
    }

    [Fact]
    public void A_crowd_that_came_and_went_between_two_checks_counts_as_a_peak()
    {
        var trim = new IdleMemoryTrim(new SessionRegistry(int.MaxValue, 1), NullLogger.Instance);
        Assert.False(trim.Check(0, 0));
        Assert.False(trim.Check(0, 2_000)); // 2,000 opened and closed since the last look: the first quiet check
        Assert.True(trim.Check(0, 0));
    }

    [Fact]
    public void A_wave_between_two_quiet_checks_starts_the_count_again()
    {
        var trim = new IdleMemoryTrim(new SessionRegistry(int.MaxValue, 1), NullLogger.Instance);
        Assert.False(trim.Check(0, 1_000));
        Assert.False(trim.Check(0, 1_000));
        Assert.True(trim.Check(0, 0));
    }

    [Fact]
    public void A_quiet_check_interrupted_by_a_new_wave_starts_counting_again()
    {
        var trim = new IdleMemoryTrim(new SessionRegistry(int.MaxValue, 1), NullLogger.Instance);
        Assert.False(trim.Check(1_000, 1_000));
        Assert.False(trim.Check(10, 1_000));
        Assert.False(trim.Check(900, 900));
        Assert.False(trim.Check(10, 900));
        Assert.True(trim.Check(10, 10));
    }
}
