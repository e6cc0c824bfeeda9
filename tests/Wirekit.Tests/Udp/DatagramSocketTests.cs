using System.Net;
using System.Security.Cryptography;
using Wirekit.Udp;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Udp;

public sealed class DatagramSocketTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task A_datagram_arrives_whole_with_its_sender()
    {
        using var receiver = DatagramSocket.Bind(AnyLoopbackPort);
        using var sender = DatagramSocket.Connect(receiver.LocalEndPoint);
        var payload = RandomNumberGenerator.GetBytes(1200);

        Assert.Equal(DatagramError.None, await sender.SendAsync(payload, CancellationToken.None));
        var buffer = new byte[2000];
        var datagram = await receiver.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Deadline.Default);

        Assert.True(datagram.Succeeded);
        Assert.False(datagram.Truncated);
        Assert.Equal(payload, buffer[..datagram.Length]);
        Assert.Equal(sender.LocalEndPoint.Port, datagram.Remote!.Port);
    }

    [Fact]
    public async Task A_datagram_larger_than_the_buffer_is_reported_truncated()
    {
        using var receiver = DatagramSocket.Bind(AnyLoopbackPort);
        using var sender = DatagramSocket.Bind(AnyLoopbackPort);
        await sender.SendToAsync(new byte[100], receiver.LocalEndPoint, CancellationToken.None);

        var datagram = await receiver.ReceiveAsync(new byte[10], CancellationToken.None).AsTask().WaitAsync(Deadline.Default);

        Assert.True(datagram.Succeeded);
        Assert.True(datagram.Truncated);
        Assert.Equal(10, datagram.Length);
    }

    [Fact]
    public async Task Sending_to_a_closed_port_reports_port_unreachable_instead_of_throwing()
    {
        IPEndPoint closed;
        using (var probe = DatagramSocket.Bind(AnyLoopbackPort))
        {
            closed = probe.LocalEndPoint;
        }

        using var sender = DatagramSocket.Connect(closed);
        Assert.Equal(DatagramError.None, await sender.SendAsync(new byte[8], CancellationToken.None));

        // The ICMP error arrives asynchronously; the next receive on the connected socket carries it.
        var datagram = await sender.ReceiveAsync(new byte[16], CancellationToken.None).AsTask().WaitAsync(Deadline.Default);

        Assert.Equal(DatagramError.PortUnreachable, datagram.Error);
    }

    [Theory]
    [InlineData(DatagramLimits.MaxIPv4Payload, true)]
    [InlineData(DatagramLimits.MaxIPv4Payload + 1, false)]
    public async Task Payloads_over_the_IPv4_limit_are_refused_before_the_kernel_sees_them(int size, bool accepted)
    {
        using var receiver = DatagramSocket.Bind(AnyLoopbackPort);
        using var sender = DatagramSocket.Bind(AnyLoopbackPort);

        var result = await sender.SendToAsync(new byte[size], receiver.LocalEndPoint, CancellationToken.None);

        Assert.Equal(accepted ? DatagramError.None : DatagramError.TooLarge, result);
        Assert.Equal(accepted, DatagramLimits.Refusal(size, System.Net.Sockets.AddressFamily.InterNetwork) is null);
    }
}
