using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>
/// The zombie session: a peer whose cable is pulled sends no FIN and no RST; keepalive must find it. Server in
/// namespace A, the doomed client in B, the link cut on B's side (addresses only inside the namespaces).
/// </summary>
public abstract partial class ChatEngineTests
{
    [SkippableFact]
    public async Task A_peer_behind_a_cut_link_is_evicted_by_keepalive_and_announced()
    {
        await using var pair = await NetworkNamespacePair.CreateAsync();
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        var serverAddress = IPAddress.Parse(pair.AddressA);
        var options = KeepAliveServerIn(pair);
        // No echo: after the doomed peer's last words the server owes it nothing, so no retransmission is pending when
        // the link goes; keepalive, not the retransmission timeout (minutes), is what must find it.
        await using var server = Start(new ChatOptions { EchoSender = false }, options);
        var endPoint = new IPEndPoint(serverAddress, server.LocalEndPoint.Port);
        using var doomed = await ConnectFromAsync(pair, pair.NamespaceB, endPoint);
        Assert.StartsWith("-!- welcome, you are ", await doomed.ReadLineAsync());
        await doomed.SkipUntilAsync("-!- user1 joined"); // in the room before the watcher, so it sees the watcher join
        using var watcher = await ConnectFromAsync(pair, pair.NamespaceA, endPoint);
        await doomed.SkipUntilAsync("-!- user2 joined");
        await doomed.SendLineAsync("last words"); // carries the ACK for everything the server sent it
        await watcher.SkipUntilAsync("<user1> last words");

        var clock = Stopwatch.StartNew();
        await pair.SetLinkAsync(pair.NamespaceB, up: false);

        // Keepalive 2,1,3: silent for 2 s, then 3 unanswered probes 1 s apart, so about 5 s; allow for a loaded CI box.
        await watcher.SkipUntilAsync("-!- user1 left (timeout)").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
        Assert.Equal(1, server.Members);
    }

    [SkippableFact]
    public async Task A_peer_behind_a_cut_link_with_messages_in_flight_is_evicted_too()
    {
        await using var pair = await NetworkNamespacePair.CreateAsync();
        Skip.If(pair.Unavailable is not null, pair.Unavailable);
        var serverAddress = IPAddress.Parse(pair.AddressA);
        var options = KeepAliveServerIn(pair);
        await using var server = Start(new ChatOptions { RateLimit = 0 }, options);
        var endPoint = new IPEndPoint(serverAddress, server.LocalEndPoint.Port);
        using var doomed = await ConnectFromAsync(pair, pair.NamespaceB, endPoint);
        await doomed.SkipUntilAsync("-!- user1 joined");
        using var watcher = await ConnectFromAsync(pair, pair.NamespaceA, endPoint);
        await doomed.SkipUntilAsync("-!- user2 joined");

        var clock = Stopwatch.StartNew();
        await pair.SetLinkAsync(pair.NamespaceB, up: false);
        // Broadcasts the doomed peer never acknowledges: retransmissions, not keepalive probes, are what run now.
        for (var i = 0; i < 3; i++)
        {
            await watcher.SendLineAsync($"anyone there {i}");
        }

        await watcher.SkipUntilAsync("-!- user1 left (timeout)").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
    }

    /// <summary>Server settings for namespace A: keepalive 2,1,3 (about 5 s to declare a silent peer dead).</summary>
    private static ServerOptions KeepAliveServerIn(NetworkNamespacePair pair) => new()
    {
        BindAddress = IPAddress.Parse(pair.AddressA),
        KeepAlive = new KeepAliveOptions(IdleSeconds: 2, IntervalSeconds: 1, ProbeCount: 3),
        ListenerFactory = family => pair.RunIn(pair.NamespaceA, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp)),
    };

    private static async Task<ChatTestClient> ConnectFromAsync(NetworkNamespacePair pair, string netns, IPEndPoint server)
    {
        var socket = pair.RunIn(netns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.NoDelay = true;
        await socket.ConnectAsync(server).WaitAsync(Deadline.Default);
        return ChatTestClient.Wrap(socket);
    }
}
