using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Udp;

namespace Wirekit.Tests.Udp;

public sealed class AnnouncementTests
{
    private static readonly AnnouncementInfo Echo = new("echo", "1.2.0", 25000, "bench-host");

    [Fact]
    public void The_datagram_round_trips_and_is_documented_json()
    {
        var bytes = AnnouncementCodec.Encode(Echo);

        Assert.Equal("""{"wirekit":"announce/1","service":"echo","version":"1.2.0","port":25000,"name":"bench-host"}""", Encoding.UTF8.GetString(bytes));
        Assert.True(AnnouncementCodec.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(Echo, decoded);
    }

    [Theory]
    [InlineData("""{"wirekit":"announce/2","service":"echo","version":"1","port":1,"name":"n"}""", "not tagged")]
    [InlineData("""{"service":"echo","version":"1","port":1,"name":"n"}""", "not tagged")]
    [InlineData("""{"wirekit":"announce/1","service":"Echo!","version":"1","port":1,"name":"n"}""", "service")]
    [InlineData("""{"wirekit":"announce/1","service":"echo","version":"1","port":70000,"name":"n"}""", "port")]
    [InlineData("""{"wirekit":"announce/1","service":"echo","version":"1","port":1,"name":""}""", "name")]
    [InlineData("""hello""", "JSON")]
    [InlineData("""[1,2]""", "JSON")]
    public void Foreign_or_invalid_datagrams_are_rejected_with_a_reason(string datagram, string reason)
    {
        Assert.False(AnnouncementCodec.TryDecode(Encoding.UTF8.GetBytes(datagram), out var info, out var problem));
        Assert.Null(info);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Oversized_datagrams_are_rejected_before_parsing()
    {
        var padded = Encoding.UTF8.GetBytes("""{"wirekit":"announce/1","pad":" """ + new string(' ', 600) + "\"}");
        Assert.False(AnnouncementCodec.TryDecode(padded, out _, out var problem));
        Assert.Contains("exceeds", problem);
    }

    [Fact]
    public async Task An_announcer_repeats_until_disposed_and_a_listener_collects_it_once()
    {
        // Unicast to a loopback listener: the machinery without broadcasting (broadcast is tested in namespaces).
        using var listener = new DiscoveryListener(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new AnnouncerOptions
        {
            BroadcastAddress = IPAddress.Loopback,
            LocalAddress = IPAddress.Loopback,
            Port = listener.LocalEndPoint.Port,
            Interval = TimeSpan.FromMilliseconds(100),
        };
        await using (Announcer.Start(Echo, options, NullLogger.Instance))
        {
            // Listen in short windows until three announcements arrived: repeats, without timing the machine.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            var heard = new List<DiscoveredServer>();
            while (heard.Sum(s => s.Times) < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, $"heard {heard.Sum(s => s.Times)} announcements in 10 s");
                heard.AddRange(await listener.ListenAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
            }

            Assert.All(heard, s => Assert.Equal((Echo, IPAddress.Loopback), (s.Info, s.Address)));
        }

        // Announcements sent after the first window closed are still queued: drain them, then expect silence.
        await listener.ListenAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        var afterStop = await listener.ListenAsync(TimeSpan.FromMilliseconds(400), CancellationToken.None);
        Assert.Empty(afterStop);
    }

    [Fact]
    public void Invalid_info_is_refused_at_start()
        => Assert.Throws<ArgumentException>(() => Announcer.Start(Echo with { Port = 0 }, new AnnouncerOptions(), NullLogger.Instance));
}
