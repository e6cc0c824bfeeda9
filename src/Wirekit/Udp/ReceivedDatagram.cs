using System.Net;

namespace Wirekit.Udp;

/// <summary>
/// One receive: who sent it, how many bytes landed in the buffer, and whether the kernel cut it to fit
/// (MSG_TRUNC: the rest of that datagram is gone; UDP cannot hand it over in pieces).
/// </summary>
public readonly record struct ReceivedDatagram(IPEndPoint? Remote, int Length, bool Truncated, DatagramError Error)
{
    public bool Succeeded => Error == DatagramError.None;
}
