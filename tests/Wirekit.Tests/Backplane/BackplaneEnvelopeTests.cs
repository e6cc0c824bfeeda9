using System.Text;
using Wirekit.Chat.Backplane;

namespace Wirekit.Tests.Backplane;

/// <summary>The channel's envelope: what one node writes another reads back; anything else is refused with its reason.</summary>
public sealed class BackplaneEnvelopeTests
{
    private static byte[] Sample(string text = "hello", string name = "alice")
    {
        var envelope = new BackplaneEnvelope(BackplaneKind.Say, 42, 7, 3, "a"u8, Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(text));
        var bytes = new byte[envelope.Length];
        Assert.Equal(bytes.Length, envelope.Write(bytes));
        return bytes;
    }

    [Fact]
    public void RoundTrips()
    {
        Assert.Equal(EnvelopeProblem.None, BackplaneEnvelope.TryRead(Sample(), out var e));
        Assert.Equal((BackplaneKind.Say, 42L, 7L, 3L), (e.Kind, e.Node, e.Sequence, e.Member));
        Assert.Equal(("a", "alice", "hello"), (Encoding.UTF8.GetString(e.NodeName), Encoding.UTF8.GetString(e.Name), Encoding.UTF8.GetString(e.Text)));
    }

    [Fact]
    public void LargestTextRoundTrips()
    {
        var text = new string('x', BackplaneEnvelope.MaxText);
        var bytes = Sample(text, new string('n', 24));
        Assert.True(bytes.Length <= BackplaneEnvelope.MaxBytes);
        Assert.Equal(EnvelopeProblem.None, BackplaneEnvelope.TryRead(bytes, out var e));
        Assert.Equal(BackplaneEnvelope.MaxText, e.Text.Length);
    }

    [Fact]
    public void EveryTruncationIsRefused()
    {
        var bytes = Sample();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.NotEqual(EnvelopeProblem.None, BackplaneEnvelope.TryRead(bytes.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void TrailingBytesAreRefused()
        => Assert.Equal(EnvelopeProblem.Trailing, BackplaneEnvelope.TryRead([.. Sample(), 0], out _));

    [Fact]
    public void OversizedIsRefusedBeforeAnyField()
        => Assert.Equal(EnvelopeProblem.TooLong, BackplaneEnvelope.TryRead(new byte[BackplaneEnvelope.MaxBytes + 1], out _));

    [Theory]
    [InlineData(0, (byte)'X', "Magic")]
    [InlineData(2, 2, "Version")]
    [InlineData(3, 0, "Kind")]
    [InlineData(3, 13, "Kind")]
    [InlineData(28, 0, "NodeName")]
    [InlineData(28, 33, "NodeName")]
    [InlineData(30, 97, "Name")]
    public void BadFieldsAreRefused(int offset, byte value, string expected)
    {
        var bytes = Sample();
        bytes[offset] = value;
        Assert.Equal(expected, BackplaneEnvelope.TryRead(bytes, out _).ToString());
    }

    [Fact]
    public void TextLongerThanTheMessageIsRefused()
    {
        var bytes = Sample();
        bytes[^7] = 0xFF; // the text length's high byte: 65,285 bytes said, 5 there
        Assert.Equal(EnvelopeProblem.Text, BackplaneEnvelope.TryRead(bytes, out _));
    }

    [Fact]
    public void BackplaneUrlsAreRead()
    {
        var redis = BackplaneUrl.Parse("redis://:s%40cret@10.0.0.5?timeout=2.5");
        Assert.Equal((BackplaneSystem.Redis, "10.0.0.5", 6379, false, null, "s@cret", TimeSpan.FromSeconds(2.5)), (redis.System, redis.Host, redis.Port, redis.Tls, redis.User, redis.Password, redis.ConnectTimeout));
        Assert.Equal("redis://10.0.0.5:6379", redis.Display);
        var nats = BackplaneUrl.Parse("tls://bob:pw@[::1]:4333");
        Assert.Equal((BackplaneSystem.Nats, "::1", 4333, true, "bob", "pw"), (nats.System, nats.Host, nats.Port, nats.Tls, nats.User, nats.Password));
        Assert.Equal("tls://[::1]:4333", nats.Display);
        Assert.Equal("backplane scheme 'http:' is not one of redis:, rediss:, nats: or tls:", Assert.Throws<FormatException>(() => BackplaneUrl.Parse("http://x")).Message);
        Assert.Contains("timeout", Assert.Throws<FormatException>(() => BackplaneUrl.Parse("nats://x?timeout=-1")).Message);
    }
}
