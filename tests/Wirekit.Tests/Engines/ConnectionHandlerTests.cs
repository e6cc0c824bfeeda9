using System.Net.Sockets;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Engines;

/// <summary>The connection-handler contract on every engine that carries one: the reason a handler returns decides the close.</summary>
public sealed class ConnectionHandlerTests
{
    public static TheoryData<EngineKind> Engines() => new(EngineCapabilities.EnginesFor(EngineFeatures.FlowPerSession));

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_graceful_reason_ends_with_FIN_after_the_last_byte(EngineKind engine)
    {
        await using var server = ServerHost.Start(engine, new ServerOptions(), new ReplyThenEnd(DisconnectReason.ClosedByService));
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint);
        await client.SendAsync("go"u8.ToArray());

        Assert.Equal("bye"u8.ToArray(), await client.ReceiveExactlyAsync(3));
        var buffer = new byte[1];
        Assert.Equal(0, await client.Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Deadline.Default));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_abortive_reason_ends_with_RST(EngineKind engine)
    {
        await using var server = ServerHost.Start(engine, new ServerOptions(), new ReplyThenEnd(DisconnectReason.Aborted));
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint);

        await client.SendAsync("go"u8.ToArray());

        // A reset discards what the peer had not read yet, so only the reset itself is certain to be seen.
        var buffer = new byte[16];
        var reset = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            while (await client.Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Deadline.Default) > 0)
            {
            }
        });
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
        await Deadline.UntilAsync(() => server.ActiveSessions == 0, "the session to end");
    }

    /// <summary>Waits for the client's first bytes (so its connect has completed), answers three bytes, then ends with the reason given.</summary>
    private sealed class ReplyThenEnd(DisconnectReason reason) : IConnectionHandler
    {
        public async Task<DisconnectReason> HandleAsync(Socket socket, long sessionId, CancellationToken cancellationToken)
        {
            await socket.ReceiveAsync(new byte[16], SocketFlags.None, cancellationToken);
            await socket.SendAsync("bye"u8.ToArray(), SocketFlags.None, cancellationToken);
            return reason;
        }
    }
}
