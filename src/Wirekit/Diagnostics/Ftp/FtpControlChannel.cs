using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirekit.Diagnostics.Ftp;

/// <summary>
/// The control connection: commands out as CRLF lines, replies in through <see cref="FtpReplyParser"/>.
/// Every wait is bounded by <see cref="Timeout"/>, so a silent server becomes an error, not a hang.
/// </summary>
internal sealed class FtpControlChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[FtpReplyParser.MaxReplyBytes];
    private int _start;
    private int _end;

    private FtpControlChannel(Socket socket, TimeSpan timeout)
    {
        _socket = socket;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public IPAddress RemoteAddress => ((IPEndPoint)_socket.RemoteEndPoint!).Address;

    public IPAddress LocalAddress => ((IPEndPoint)_socket.LocalEndPoint!).Address;

    /// <summary>Raised for every command sent and reply read, for `--verbose` traces (the password is masked).</summary>
    public Action<string>? Trace { get; init; }

    public static async Task<FtpControlChannel> ConnectAsync(IPEndPoint server, TimeSpan timeout, Action<string>? trace, CancellationToken ct)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var limit = Limit(timeout, ct);
            await socket.ConnectAsync(server, limit.Token).ConfigureAwait(false);
            return new FtpControlChannel(socket, timeout) { Trace = trace };
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string command, CancellationToken ct)
    {
        Trace?.Invoke("> " + (command.StartsWith("PASS ", StringComparison.Ordinal) ? "PASS ****" : command));
        using var limit = Limit(Timeout, ct);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command + "\r\n"), SocketFlags.None, limit.Token).ConfigureAwait(false);
    }

    public async Task<FtpReply> ReadReplyAsync(CancellationToken ct)
    {
        using var limit = Limit(Timeout, ct);
        while (true)
        {
            var status = FtpReplyParser.TryParse(_buffer.AsSpan(_start, _end - _start), out var reply, out var consumed);
            if (status == OperationStatus.Done)
            {
                _start += consumed;
                Trace?.Invoke("< " + reply!.ToString().Replace("\n", "\n< "));
                return reply!;
            }

            if (status == OperationStatus.InvalidData)
            {
                throw new FtpException("the server's reply is not FTP (malformed or longer than 16 KiB)");
            }

            // Keep the unparsed tail at the front so a reply can use the whole buffer.
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, limit.Token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new FtpException("the server closed the control connection");
            }

            _end += read;
        }
    }

    /// <summary>Sends a command and reads its reply, skipping nothing: 1yz preliminary replies are the caller's to handle.</summary>
    public async Task<FtpReply> CommandAsync(string command, CancellationToken ct)
    {
        await SendAsync(command, ct).ConfigureAwait(false);
        return await ReadReplyAsync(ct).ConfigureAwait(false);
    }

    public static CancellationTokenSource Limit(TimeSpan timeout, CancellationToken ct)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        source.CancelAfter(timeout);
        return source;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
