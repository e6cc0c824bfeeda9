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
    [InlineData("\u00e9clair", false)]
    [InlineData("abcdefghijklmnopqrstuvwxy", false)]
    public void Validates_names(string name, bool valid)
        => Assert.Equal(valid, ChatNames.Check(name) is null);
}
