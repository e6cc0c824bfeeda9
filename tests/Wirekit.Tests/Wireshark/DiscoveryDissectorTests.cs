using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Tests.Infrastructure;
using Wirekit.Udp;

namespace Wirekit.Tests.Wireshark;

/// <summary>tools/wireshark/wirekit_discovery.lua against an announcement Wirekit's announcer sent (unicast on loopback, another port).</summary>
public sealed class DiscoveryDissectorTests
{
    [SkippableFact]
    public async Task A_captured_announcement_shows_its_fields_as_sent()
    {
        LoopbackCapture.SkipUnlessAvailable();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var capture = await LoopbackCapture.StartAsync($"udp port {port}");

        var options = new AnnouncerOptions { BroadcastAddress = IPAddress.Loopback, LocalAddress = IPAddress.Loopback, Port = port, Interval = TimeSpan.FromHours(1) };
        await using (Announcer.Start(new AnnouncementInfo("file", "1.2.0", 25002, "lab-한글"), options, NullLogger.Instance))
        {
            // The first announcement leaves at start; once it is here it has crossed lo.
            await listener.ReceiveAsync(new byte[1024].AsMemory()).AsTask().WaitAsync(Deadline.Default);
        }

        var file = await capture.StopAsync();
        var rows = await Tshark.FieldsAsync(file, "wirekit_discovery", "wirekit_discovery.wirekit", "wirekit_discovery.service", "wirekit_discovery.version",
            "wirekit_discovery.port", "wirekit_discovery.name");
        Assert.Equal([["announce/1", "file", "1.2.0", "25002", "lab-한글"]], rows);
    }
}
