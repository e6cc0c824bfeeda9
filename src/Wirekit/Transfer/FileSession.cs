using System.Net;
using System.Net.Sockets;
using Wirekit.Logging;

namespace Wirekit.Transfer;

/// <summary>
/// One client connection of the file server: its frames, what it has proven, and sends that cannot hang. A send
/// that has to wait is watched (<see cref="SendWatchdog"/>): no progress for the send timeout, or the file changing
/// under it, resets the connection and ends the session with <see cref="SendCutOffException"/>.
/// </summary>
internal sealed class FileSession(long id, FrameConnection connection, bool authenticated, TimeSpan sendTimeout)
{
    public long Id => id;

    public FrameConnection Connection => connection;

    /// <summary>The client's address, for the token-guess backoff; None when the socket cannot say.</summary>
    public IPAddress Address { get; } = (connection.Socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;

    public bool Authenticated { get; set; } = authenticated;

    /// <summary>CMD_ERROR replies sent on this connection so far.</summary>
    public int Errors { get; set; }

    /// <summary>Wrong tokens offered on this connection so far.</summary>
    public int WrongTokens { get; set; }

    /// <summary>Set when the session must end after the reply just sent (too many errors, token guesses).</summary>
    public bool Ending { get; set; }

    /// <summary>This session's refusals: the first few of each 10 s are logged, the rest counted (a flood costs lines, not megabytes).</summary>
    public LogThrottle RefusalLog { get; } = new(burst: 5, TimeSpan.FromSeconds(10));

    /// <summary>Sends a reply held in memory. Most fit in the socket buffer and complete at once, unwatched.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (connection.Tls is { } tls)
        {
            // Most replies fit the socket buffer and complete at once, unwatched, as on the plaintext path.
            var write = tls.WriteAsync(data, cancellationToken);
            if (write.IsCompletedSuccessfully)
            {
                write.GetAwaiter().GetResult();
                return;
            }

            await WatchAsync(write.AsTask()).ConfigureAwait(false);
            return;
        }

        while (!data.IsEmpty)
        {
            var send = connection.Socket.SendAsync(data, SocketFlags.None, cancellationToken);
            var sent = send.IsCompletedSuccessfully ? send.Result : await WatchAsync(send.AsTask()).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Sends <paramref name="prefix"/> and a range of <paramref name="file"/> by sendfile, watched throughout.</summary>
    public async ValueTask SendFileAsync(byte[] prefix, ServedFile file, long offset, long length, CancellationToken cancellationToken)
    {
        var socket = connection.Socket;
        using var watchdog = new SendWatchdog(socket, sendTimeout, file);
        bool complete;
        try
        {
            complete = connection.Tls is { } tls
                ? await TlsFileSender.SendAsync(tls, prefix, file.Stream, offset, length, cancellationToken).ConfigureAwait(false)
                : await ZeroCopySender.SendAsync(socket, prefix, file.Stream, offset, length, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException && !cancellationToken.IsCancellationRequested
                                  && (watchdog.Verdict != SendVerdict.None || file.HasChanged()))
        {
            // A file shorter than its element when sendfile reaches it fails the send (EINVAL) instead of ending early.
            throw CutOff(watchdog.Verdict == SendVerdict.None ? SendVerdict.SourceChanged : watchdog.Verdict, file);
        }

        if (watchdog.Verdict != SendVerdict.None)
        {
            throw CutOff(watchdog.Verdict, file);
        }

        // sendfile stops quietly at the end of a truncated file: fewer bytes than promised went out, and the peer would
        // read whatever comes next as file data. A file modified in place keeps its size but not its mtime.
        if (!complete || file.HasChanged())
        {
            throw CutOff(SendVerdict.SourceChanged, file);
        }
    }

    private async Task<int> WatchAsync(Task<int> send)
    {
        await WatchAsync((Task)send).ConfigureAwait(false);
        return send.Result;
    }

    private async Task WatchAsync(Task send)
    {
        using var watchdog = new SendWatchdog(connection.Socket, sendTimeout, file: null);
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException && watchdog.Verdict != SendVerdict.None)
        {
            throw CutOff(watchdog.Verdict, file: null);
        }
    }

    private SendCutOffException CutOff(SendVerdict verdict, ServedFile? file)
    {
        ConnectionReset.Abort(connection.Socket);
        return new SendCutOffException(verdict, file?.Entry);
    }
}

/// <summary>A send was cut off and its connection reset; <see cref="Verdict"/> says why.</summary>
internal sealed class SendCutOffException(SendVerdict verdict, JailedFile? file)
    : Exception(verdict == SendVerdict.Stalled ? "the peer stopped reading" : "the file changed while being sent")
{
    public SendVerdict Verdict { get; } = verdict;

    /// <summary>The file being sent, as promised; null for replies from memory.</summary>
    public JailedFile? File { get; } = file;
}
