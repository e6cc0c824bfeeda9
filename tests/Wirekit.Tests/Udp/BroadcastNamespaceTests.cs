using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Hosting;
using Wirekit.Tests.Infrastructure;
using Wirekit.Udp;

namespace Wirekit.Tests.Udp;

/// <summary>
/// Broadcast and discovery, only ever inside a namespace pair of our own (10.213.0.0/24): nothing here is sent on
/// the machine's own network. Fixed ports are fine: each namespace has its own port space.
/// </summary>
public sealed class BroadcastNamespaceTests(NetworkNamespacePair pair) : IClassFixture<NetworkNamespacePair>
{

    [SkippableFact]
    public async Task A_subnet_broadcast_from_B_reaches_a_listener_in_A()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        using var listener = pair.RunIn(pair.NamespaceA, () => DatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 25000)));
        var receiving = listener.ReceiveAsync(new byte[1500], CancellationToken.None).AsTask();

        var output = new StringWriter();
        var sent = await pair.RunIn(pair.NamespaceB, () => UdpCommand.RunBroadcastAsync(
            new IPEndPoint(IPAddress.Any, 0), new IPEndPoint(IPAddress.Parse(pair.BroadcastAddress), 25000), "hello lan"u8.ToArray(),
            count: 1, TimeSpan.Zero, output, TextWriter.Null, CancellationToken.None)).WaitAsync(Deadline.Default);

        Assert.Equal(0, sent);
        var datagram = await receiving.WaitAsync(Deadline.Default);
        Assert.True(datagram.Succeeded);
        Assert.Equal(IPAddress.Parse(pair.AddressB), datagram.Remote!.Address);
        Assert.Contains($"broadcast 9 bytes to {pair.BroadcastAddress}:25000", output.ToString());
    }

    [SkippableFact]
    public async Task Broadcast_without_SO_BROADCAST_is_refused_not_thrown()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        using var sender = pair.RunIn(pair.NamespaceB, () => DatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 0), allowBroadcast: false));

        var result = await sender.SendToAsync("x"u8.ToArray(), new IPEndPoint(IPAddress.Parse(pair.BroadcastAddress), 25000), CancellationToken.None);

        Assert.Equal(DatagramError.BroadcastNotAllowed, result);
    }

    [SkippableFact]
    public async Task Discover_run_as_the_cli_in_A_lists_announcers_broadcasting_from_B()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        var options = new AnnouncerOptions
        {
            BroadcastAddress = IPAddress.Parse(pair.BroadcastAddress),
            Interval = TimeSpan.FromMilliseconds(300),
        };
        await using var echo = pair.RunIn(pair.NamespaceB, () => Announcer.Start(new AnnouncementInfo("echo", "1.0.0", 25000, "b-echo"), options, NullLogger.Instance));
        await using var chat = pair.RunIn(pair.NamespaceB, () => Announcer.Start(new AnnouncementInfo("chat", "1.0.0", 25001, "b-chat"), options, NullLogger.Instance));

        var (exit, output, error) = await pair.ExecAsync(pair.NamespaceA, Deadline.Default, CliProcess.Command("discover", "--seconds", "2", "--json"));

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var heard = json.RootElement.EnumerateArray()
            .Select(s => (Service: s.GetProperty("service").GetString(), Address: s.GetProperty("address").GetString(), Port: s.GetProperty("port").GetInt32()))
            .ToList();
        Assert.Equal([("chat", pair.AddressB, 25001), ("echo", pair.AddressB, 25000)], heard);
    }

    [SkippableFact]
    public async Task A_server_command_with_announce_is_heard_on_the_default_port_and_address()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        using var listener = pair.RunIn(pair.NamespaceA, () => new DiscoveryListener(new IPEndPoint(IPAddress.Any, DefaultPorts.Discovery)));

        // Default options broadcast to 255.255.255.255; inside namespace B that only ever leaves through B's veth.
        await using var announcer = pair.RunIn(pair.NamespaceB, () => ServerAnnouncement.Start(
            "file", new IPEndPoint(IPAddress.Any, 25002), NullLogger.Instance));
        var heard = await listener.ListenAsync(TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.NotNull(announcer);
        var server = Assert.Single(heard);
        Assert.Equal(("file", 25002), (server.Info.Service, server.Info.Port));
        Assert.Equal(IPAddress.Parse(pair.AddressB), server.Address);
    }

    [SkippableFact]
    public async Task Discover_with_nobody_announcing_exits_non_zero_with_a_reason()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);

        // Port 25098: no announcer in this class uses it, so the run hears nothing.
        var (exit, _, error) = await pair.ExecAsync(pair.NamespaceA, Deadline.Default, CliProcess.Command("discover", "--seconds", "0.5", "--port", "25098"));

        Assert.Equal(1, exit);
        Assert.Contains("no Wirekit server announced itself", error);
    }

    [SkippableFact]
    public async Task Nic_inside_a_namespace_shows_each_adapters_own_address()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);

        var (exit, output, error) = await pair.ExecAsync(pair.NamespaceA, Deadline.Default, CliProcess.Command("nic", "--json"));

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var addresses = json.RootElement.EnumerateArray().ToDictionary(
            a => a.GetProperty("name").GetString()!,
            a => a.GetProperty("ipv4").EnumerateArray().Select(ip => ip.GetString()).ToList());
        Assert.Equal([$"{pair.AddressA}/24"], addresses[pair.VethA]);
        Assert.Equal(["127.0.0.1/8"], addresses["lo"]);
    }

    [SkippableFact]
    public async Task Loss_and_link_down_stop_datagrams_and_clearing_them_restores_delivery()
    {
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        using var receiver = pair.RunIn(pair.NamespaceA, () => DatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 25010)));
        using var sender = pair.RunIn(pair.NamespaceB, () => DatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 0)));
        var target = new IPEndPoint(IPAddress.Parse(pair.AddressA), 25010);

        Assert.True(await DeliversAsync(sender, receiver, target, TimeSpan.FromSeconds(5)));

        await pair.AddLossAsync(pair.NamespaceA, 1.0);
        Assert.False(await DeliversAsync(sender, receiver, target, TimeSpan.FromMilliseconds(500)));
        await pair.ClearLossAsync(pair.NamespaceA);
        Assert.True(await DeliversAsync(sender, receiver, target, TimeSpan.FromSeconds(5)));

        await pair.SetLinkAsync(pair.NamespaceA, up: false);
        Assert.False(await DeliversAsync(sender, receiver, target, TimeSpan.FromMilliseconds(500)));
        await pair.SetLinkAsync(pair.NamespaceA, up: true);
        Assert.True(await DeliversAsync(sender, receiver, target, TimeSpan.FromSeconds(10)));
    }

    /// <summary>Sends a fresh token every 100 ms until the receiver gets one of them or the window closes.</summary>
    private static async Task<bool> DeliversAsync(DatagramSocket sender, DatagramSocket receiver, IPEndPoint target, TimeSpan window)
    {
        var token = Guid.NewGuid().ToString("N");
        using var deadline = new CancellationTokenSource(window);
        var buffer = new byte[64];
        var receiving = Task.Run(async () =>
        {
            while (true)
            {
                var datagram = await receiver.ReceiveAsync(buffer, deadline.Token);
                if (datagram.Succeeded && Encoding.ASCII.GetString(buffer, 0, datagram.Length) == token)
                {
                    return true;
                }
            }
        });
        try
        {
            while (!receiving.IsCompleted)
            {
                await sender.SendToAsync(Encoding.ASCII.GetBytes(token), target, deadline.Token);
                await Task.WhenAny(receiving, Task.Delay(100, deadline.Token));
            }

            return await receiving;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
