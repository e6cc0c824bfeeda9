using System.Net;
using System.Net.Sockets;

namespace Wirekit.Udp;

/// <summary>
/// A UDP socket whose sends and receives report errors as <see cref="DatagramError"/> values instead of
/// throwing: on UDP a refused port or a cut datagram is news for the user, not a crash.
/// </summary>
public sealed class DatagramSocket : IDisposable
{
    private readonly Socket _socket;

    private DatagramSocket(Socket socket) => _socket = socket;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public AddressFamily AddressFamily => _socket.AddressFamily;

    /// <summary>A socket bound to <paramref name="local"/>, ready to receive from anyone and send anywhere.</summary>
    public static DatagramSocket Bind(IPEndPoint local, bool allowBroadcast = false, bool reuseAddress = false)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // SO_REUSEADDR lets several listeners on one host share a discovery port.
            if (reuseAddress)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.EnableBroadcast = allowBroadcast;
            socket.Bind(local);
            return new DatagramSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connected socket: it only talks to <paramref name="remote"/>, and because it is connected the kernel
    /// hands back ICMP port-unreachable errors for it, which an unconnected socket on Linux never sees.
    /// </summary>
    public static DatagramSocket Connect(IPEndPoint remote, IPEndPoint? local = null)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(local ?? new IPEndPoint(remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            socket.Connect(remote);
            return new DatagramSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<DatagramError> SendToAsync(ReadOnlyMemory<byte> payload, EndPoint remote, CancellationToken ct)
    {
        if (DatagramLimits.Refusal(payload.Length, _socket.AddressFamily) is not null)
        {
            return DatagramError.TooLarge;
        }

        try
        {
            await _socket.SendToAsync(payload, SocketFlags.None, remote, ct).ConfigureAwait(false);
            return DatagramError.None;
        }
        catch (SocketException e)
        {
            return DatagramErrors.Classify(e.SocketErrorCode);
        }
    }

    /// <summary>Sends on a connected socket; an ICMP error from an earlier datagram surfaces here.</summary>
    public async ValueTask<DatagramError> SendAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (DatagramLimits.Refusal(payload.Length, _socket.AddressFamily) is not null)
        {
            return DatagramError.TooLarge;
        }

        try
        {
            await _socket.SendAsync(payload, SocketFlags.None, ct).ConfigureAwait(false);
            return DatagramError.None;
        }
        catch (SocketException e)
        {
            return DatagramErrors.Classify(e.SocketErrorCode);
        }
    }

    /// <summary>
    /// Receives one datagram. recvmsg rather than recvfrom: on Linux recvfrom cuts an oversized datagram
    /// silently, while recvmsg returns MSG_TRUNC so the truncation can be reported.
    /// </summary>
    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken ct)
    {
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        try
        {
            var result = await _socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            var truncated = (result.SocketFlags & SocketFlags.Truncated) != 0;
            return new ReceivedDatagram((IPEndPoint)result.RemoteEndPoint, result.ReceivedBytes, truncated, DatagramError.None);
        }
        catch (SocketException e)
        {
            return new ReceivedDatagram(null, 0, false, DatagramErrors.Classify(e.SocketErrorCode));
        }
    }

    public void Dispose() => _socket.Dispose();
}
