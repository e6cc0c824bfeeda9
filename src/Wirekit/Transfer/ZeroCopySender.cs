using System.Net.Sockets;

namespace Wirekit.Transfer;

/// <summary>
/// Sends a reply header and a file range with SendPacketsAsync: the kernel copies the file to the socket
/// (sendfile(2) on Linux, TransmitPackets on Windows), so the bytes never pass through a user-space buffer. This is
/// the seed's TransmitFile point, with the header as the "data sent before the file" (TRANSMIT_FILE_BUFFERS).
/// </summary>
internal static class ZeroCopySender
{
    // SendPacketsElement takes an int count, so a range over 2 GiB is sent as several elements of the same file.
    private const int MaxElementBytes = 1 << 30;

    /// <summary>
    /// False when fewer bytes went out than asked: sendfile ends quietly at the end of a file truncated meanwhile.
    /// (BytesTransferred is an int, so the comparison is modulo 2³²; the caller also checks the file itself.)
    /// </summary>
    public static async Task<bool> SendAsync(Socket socket, byte[] prefix, FileStream file, long offset, long length, CancellationToken cancellationToken)
    {
        var elements = new List<SendPacketsElement>();
        if (prefix.Length > 0)
        {
            elements.Add(new SendPacketsElement(prefix, 0, prefix.Length, endOfPacket: length == 0));
        }

        for (var position = offset; position < offset + length; position += MaxElementBytes)
        {
            var count = (int)Math.Min(MaxElementBytes, offset + length - position);
            elements.Add(new SendPacketsElement(file, position, count, endOfPacket: position + count == offset + length));
        }

        if (elements.Count == 0)
        {
            return true;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var args = new SocketAsyncEventArgs { SendPacketsElements = [.. elements] };
        args.Completed += (_, e) => Complete(e, done);
        // SendPacketsAsync has no token: closing the socket is the only way to abandon it, and the server is stopping anyway.
        await using var abandon = cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket).ConfigureAwait(false);
        if (!socket.SendPacketsAsync(args))
        {
            Complete(args, done);
        }

        await done.Task.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return args.BytesTransferred == unchecked((int)(prefix.Length + length));
    }

    private static void Complete(SocketAsyncEventArgs args, TaskCompletionSource done)
    {
        if (args.SocketError == SocketError.Success)
        {
            done.TrySetResult();
        }
        else
        {
            done.TrySetException(new SocketException((int)args.SocketError));
        }
    }
}
