using System.Net;
using System.Net.Sockets;

namespace Wirekit.Diagnostics.Ftp;

/// <summary>
/// A small RFC 959 client: login, binary type, passive data connections (EPSV first, PASV as fallback), LIST,
/// RETR with REST resume, STOR. Replaces the seed's WinINet InternetConnect and the obsolete FtpWebRequest.
/// </summary>
public sealed class FtpClient : IAsyncDisposable
{
    private readonly FtpControlChannel _control;
    private bool _extendedPassiveRefused;

    private FtpClient(FtpControlChannel control) => _control = control;

    public static async Task<FtpClient> ConnectAsync(FtpUrl url, TimeSpan timeout, Action<string>? trace, CancellationToken ct)
    {
        var server = await new HostPort(url.Host, url.Port).ResolveAsync(url.Port, ct).ConfigureAwait(false);
        var control = await FtpControlChannel.ConnectAsync(server, timeout, trace, ct).ConfigureAwait(false);
        var client = new FtpClient(control);
        try
        {
            Expect(await control.ReadReplyAsync(ct).ConfigureAwait(false), "greeting", 220);
            var user = await control.CommandAsync($"USER {url.User}", ct).ConfigureAwait(false);
            if (user.Code == 331)
            {
                user = await control.CommandAsync($"PASS {url.Password}", ct).ConfigureAwait(false);
            }

            Expect(user, "login", 230, 202);
            // Binary: bytes arrive exactly as stored (ASCII type would rewrite line endings).
            Expect(await control.CommandAsync("TYPE I", ct).ConfigureAwait(false), "TYPE I", 200);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The size of a remote file, or null when the server does not support SIZE or the file is missing.</summary>
    public async Task<long?> SizeAsync(string path, CancellationToken ct)
    {
        var reply = await _control.CommandAsync($"SIZE {path}", ct).ConfigureAwait(false);
        return reply.Code == 213 && long.TryParse(reply.Text.Trim(), out var size) ? size : null;
    }

    public Task ListAsync(string path, Stream destination, CancellationToken ct)
        => TransferAsync(path.Length == 0 ? "LIST" : $"LIST {path}", restartAt: 0,
            data => StreamCopier.CopyAsync(data, destination, 0, null, null, _control.Timeout, ct), ct);

    /// <summary>Downloads <paramref name="path"/> into <paramref name="destination"/>, starting at <paramref name="restartAt"/> (REST).</summary>
    public Task RetrieveAsync(string path, Stream destination, long restartAt, long? total, IProgress<TransferProgress>? progress, CancellationToken ct)
        => TransferAsync($"RETR {path}", restartAt,
            data => StreamCopier.CopyAsync(data, destination, restartAt, total, progress, _control.Timeout, ct), ct);

    public Task StoreAsync(string path, Stream source, IProgress<TransferProgress>? progress, CancellationToken ct)
        => TransferAsync($"STOR {path}", restartAt: 0, async data =>
        {
            var total = source.CanSeek ? source.Length : (long?)null;
            var sent = await StreamCopier.CopyAsync(source, data, 0, total, progress, _control.Timeout, ct).ConfigureAwait(false);
            // Closing our side of the data connection is what tells the server the file is complete.
            data.Socket.Shutdown(SocketShutdown.Send);
            return sent;
        }, ct);

    private async Task TransferAsync(string command, long restartAt, Func<NetworkStream, Task<long>> move, CancellationToken ct)
    {
        var dataEndPoint = await EnterPassiveAsync(ct).ConfigureAwait(false);
        using var dataSocket = new Socket(dataEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using (var connectLimit = FtpControlChannel.Limit(_control.Timeout, ct))
        {
            await dataSocket.ConnectAsync(dataEndPoint, connectLimit.Token).ConfigureAwait(false);
        }

        if (restartAt > 0)
        {
            Expect(await _control.CommandAsync($"REST {restartAt}", ct).ConfigureAwait(false), "REST (resume)", 350);
        }

        var opening = await _control.CommandAsync(command, ct).ConfigureAwait(false);
        Expect(opening, command.Split(' ')[0], 125, 150);
        await using (var data = new NetworkStream(dataSocket, ownsSocket: false))
        {
            await move(data).ConfigureAwait(false);
        }

        dataSocket.Close();
        Expect(await _control.ReadReplyAsync(ct).ConfigureAwait(false), command.Split(' ')[0], 226, 250);
    }

    private async Task<IPEndPoint> EnterPassiveAsync(CancellationToken ct)
    {
        if (!_extendedPassiveRefused)
        {
            var extended = await _control.CommandAsync("EPSV", ct).ConfigureAwait(false);
            if (extended.Code == 229 && PassiveReply.TryParseExtended(extended.Text, _control.RemoteAddress, out var endPoint))
            {
                return endPoint!;
            }

            // 500/502: an old server without RFC 2428; remember and use PASV from now on.
            _extendedPassiveRefused = true;
        }

        var passive = await _control.CommandAsync("PASV", ct).ConfigureAwait(false);
        if (passive.Code == 227 && PassiveReply.TryParse(passive.Text, _control.RemoteAddress, out var legacy))
        {
            return legacy!;
        }

        throw new FtpException($"the server refused passive mode: {passive}", passive);
    }

    private static void Expect(FtpReply reply, string step, params int[] codes)
    {
        if (!codes.Contains(reply.Code))
        {
            throw new FtpException($"{step} failed: {reply.Code} {reply.Text.Split('\n')[0].Trim()}", reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // QUIT politely, but never wait long for a goodbye.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _control.CommandAsync("QUIT", limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or FtpException or ObjectDisposedException)
        {
            // The connection is going away either way.
        }

        await _control.DisposeAsync().ConfigureAwait(false);
    }
}
