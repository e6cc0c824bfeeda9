using System.Collections.Concurrent;
using System.Net;
using Wirekit.Echo;
using Wirekit.Engines;

namespace Wirekit.Tests.Bench;

/// <summary>
/// The real <see cref="EchoService"/> with a tally in front: bytes the server received and the peers it accepted,
/// so the load generator's tests can compare both ends. Counting happens before the echo is queued, because the
/// client may see the echo before this callback returns.
/// </summary>
internal sealed class CountingEchoService : ISessionService
{
    private readonly EchoService _echo = new();
    private long _receivedBytes;

    public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

    public ConcurrentBag<IPAddress> Peers { get; } = [];

    public void OnConnected(ISession session)
    {
        Peers.Add(session.RemoteEndPoint.Address);
        _echo.OnConnected(session);
    }

    public void OnReceived(ISession session, ReadOnlySpan<byte> data)
    {
        Interlocked.Add(ref _receivedBytes, data.Length);
        _echo.OnReceived(session, data);
    }

    public void OnDisconnected(ISession session, DisconnectReason reason) => _echo.OnDisconnected(session, reason);
}
