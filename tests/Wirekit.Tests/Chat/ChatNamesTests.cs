using Wirekit.Chat;

namespace Wirekit.Tests.Chat;

public sealed class ChatNamesTests
{
    [Theory]
    [InlineData("alice", true)]
    [InlineData("Bob_2.x-y", true)]
    [InlineData("user7", false)]
    [InlineData("USER12", false)]
    [InlineData("users", true)]
    [InlineData("user", true)]
    [InlineData("", false)]
    [InlineData("-dash", false)]
    [InlineData("has space", false)]
    [InlineData("abcdefghijklmnopqrstuvwxy", false)]
    [InlineData("\u00e9clair", true)] // Unicode letters are letters
    [InlineData("\ud55c\uae00\uc774\ub984", true)] // 한글이름
    [InlineData("\u0414\u0438\u043c\u0430", true)] // Дима
    [InlineData("\u0645\u0631\u064a\u0645", true)] // مريم
    [InlineData("\u0926\u0947\u0935\u093f", true)] // देवि: Devanagari with its vowel signs (marks)
    [InlineData("\u30b5\u30fc\u30d0\u30fc\u541b", true)] // katakana with the prolonged sound mark, and a kanji
    [InlineData("Nguye\u0302\u0303n", true)] // two combining marks on one letter
    [InlineData("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", true)] // 24 characters, 48 bytes
    [InlineData("\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c\uae00\ud55c", false)] // 25 characters
    [InlineData("*alice", false)] // no prefix a notice or an action uses
    [InlineData("\u0301accent", false)] // starts with a combining mark
    [InlineData("a\u0300\u0301\u0302\u0303", false)] // four marks on one letter
    [InlineData("al\u200dice", false)] // a format character (ZWJ)
    [InlineData("al\u202eice", false)] // a bidi override
    [InlineData("\u3164", false)] // the Hangul filler: a letter that shows nothing
    [InlineData("bob\ufe0f", false)] // a variation selector
    [InlineData("\U0001D41A\U0001D425\U0001D422\U0001D41C\U0001D41E", false)] // mathematical bold "alice"
    [InlineData("\u2113ove", false)] // script small l
    [InlineData("\u1d00dmin", false)] // small capital A
    [InlineData("emoji\U0001F600", false)]
    public void Validates_names(string name, bool valid)
        => Assert.Equal(valid, ChatNames.Check(name) is null);
}
