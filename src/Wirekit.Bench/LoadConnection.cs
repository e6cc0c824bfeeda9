using System.Diagnostics;
using System.Net.Sockets;

namespace Wirekit.Bench;

/// <summary>
/// One non-blocking client connection of the load generator: echo_load.c's window rule (whenever n bytes come
/// back, n more are owed) plus the offsets the latency FIFO needs. Owned by one worker thread; never shared.
/// The generator owns (and closes) the socket.
/// </summary>
internal sealed class LoadConnection
{
    private readonly LatencyFifo _fifo;

    public LoadConnection(Socket socket, int messageSize, long bytesInFlight)
    {
        Socket = socket;
        Owed = bytesInFlight;
        _fifo = new LatencyFifo(messageSize, bytesInFlight);
    }

    public Socket Socket { get; }

    /// <summary>Bytes still to send to keep the window full.</summary>
    public long Owed { get; private set; }

    public long Sent { get; private set; }

    public long Received { get; private set; }

    /// <summary>Set once the connection broke; a broken connection is skipped from then on.</summary>
    public bool Broken { get; private set; }

    /// <summary>
    /// Reads until the kernel has nothing more. Returns the bytes read (0 when nothing was waiting).
    /// The returned echoes are owed back to the server unless <paramref name="refill"/> is false (draining).
    /// </summary>
    public long ReceiveAvailable(byte[] buffer, bool refill, ILatencyRecorder recorder, ref long messagesRecorded)
    {
        long total = 0;
        while (true)
        {
            var n = Socket.Receive(buffer, SocketFlags.None, out var error);
            if (n > 0)
            {
                Received += n;
                total += n;
                if (refill)
                {
                    Owed += n;
                }

                messagesRecorded += _fifo.OnReceived(Received, Stopwatch.GetTimestamp(), recorder);
                if (n < buffer.Length)
                {
                    return total; // a short read means the queue is empty; skip the EAGAIN round trip
                }

                continue;
            }

            if (error == SocketError.WouldBlock)
            {
                return total;
            }

            Broken = true; // n == 0 with Success is the server's FIN; anything else is a socket error
            return total;
        }
    }

    /// <summary>Sends what is owed, from a shared read-only buffer. Returns the bytes the kernel took.</summary>
    public long SendOwed(ReadOnlySpan<byte> payload)
    {
        long total = 0;
        while (Owed > 0)
        {
            var chunk = (int)Math.Min(Owed, payload.Length);

            // Stamped before the call: on loopback the kernel may deliver, and the server echo, while send runs.
            var issuedAt = Stopwatch.GetTimestamp();
            var n = Socket.Send(payload[..chunk], SocketFlags.None, out var error);
            if (n > 0)
            {
                var before = Sent;
                Sent += n;
                Owed -= n;
                total += n;
                _fifo.OnSent(before, Sent, issuedAt);
                if (n < chunk)
                {
                    return total; // the send buffer is full; the next send would only say EAGAIN
                }

                continue;
            }

            Broken = error != SocketError.WouldBlock;
            return total;
        }

        return total;
    }

    /// <summary>Every byte sent has come back.</summary>
    public bool IsSettled => Received >= Sent;
}
