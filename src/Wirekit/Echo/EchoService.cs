using Wirekit.Engines;

namespace Wirekit.Echo;

/// <summary>
/// Sends back exactly the bytes received, as they arrive: no fixed-size buffer, no framing (the seed echoed a whole
/// 128-byte buffer whatever it had received). Backpressure comes from the engine: it stops reading from a peer
/// that is not taking its echoes, so memory per session stays bounded.
/// </summary>
public sealed class EchoService : ISessionService
{
    /// <summary>An echo client is established by its first byte (<see cref="ServerOptions.HandshakeTimeout"/>).</summary>
    bool IServerService.MarksEstablished => true;

    public void OnConnected(ISession session)
    {
    }

    public void OnReceived(ISession session, ReadOnlySpan<byte> data)
    {
        session.MarkEstablished();
        session.Send(data);
    }

    public void OnDisconnected(ISession session, DisconnectReason reason)
    {
    }
}
