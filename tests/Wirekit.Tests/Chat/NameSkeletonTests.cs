using Wirekit.Chat;

namespace Wirekit.Tests.Chat;

public sealed class NameSkeletonTests
{
    [Theory]
    [InlineData("alice", "ALICE")] // case
    [InlineData("alice", "a1ice")] // 1 for l
    [InlineData("alice", "AIice")] // capital I for l
    [InlineData("bob", "b0b")] // 0 for o
    [InlineData("alice", "\u0430lice")] // Cyrillic a
    [InlineData("paypal", "\u0440\u0430y\u0440\u0430l")] // Cyrillic r and a
    [InlineData("HOME", "\u041D\u039F\u039C\u0395")] // Cyrillic En, Greek Omicron, Mu, Epsilon
    [InlineData("nico", "\u03b7ico")] // Greek eta reads as n
    [InlineData("jose", "Jos\u00e9")] // precomposed accent
    [InlineData("jose", "Jose\u0301")] // combining accent
    [InlineData("alice", "\uff41\uff4c\uff49\uff43\uff45")] // fullwidth
    [InlineData("user12", "user\u0661\u0662")] // Arabic-Indic digits
    [InlineData("modern", "rnodern")] // rn for m
    [InlineData("www", "vvvvvv")] // vv for w
    [InlineData("strasse", "STRAßE")]
    public void Look_alikes_share_a_skeleton(string name, string lookalike)
        => Assert.Equal(NameSkeleton.Of(name), NameSkeleton.Of(lookalike));

    [Theory]
    [InlineData("alice", "alicia")]
    [InlineData("bob", "rob")]
    [InlineData("anna", "hanna")]
    [InlineData("ian", "jan")]
    [InlineData("mia", "nia")]
    [InlineData("\ud55c\uae00", "\ud55c\uad6d")] // 한글, 한국: different Korean words
    [InlineData("\u0434\u0438\u043c\u0430", "\u0434\u0438\u043d\u0430")] // Дима, Дина
    public void Different_names_keep_different_skeletons(string name, string other)
        => Assert.NotEqual(NameSkeleton.Of(name), NameSkeleton.Of(other));
}
