using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Wirekit.Bench.Chat;

/// <summary>
/// One bench member: a receive loop that counts chat lines and records each message's fan-out latency (the sender
/// puts its <see cref="Stopwatch"/> timestamp in the text; sender and receivers share this process's clock), and,
/// for senders, a paced send loop.
/// </summary>
internal sealed class ChatBenchClient : IDisposable
{
    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly Action<long> _recordLatencyTicks;
    private long _delivered;
    private long _joinsSeen;

    private ChatBenchClient(Socket socket, SslStream? tls, Action<long> recordLatencyTicks)
    {
        _socket = socket;
        _tls = tls;
        _recordLatencyTicks = recordLatencyTicks;
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Join notices received (its own and those of members who joined after it).</summary>
    public long JoinsSeen => Interlocked.Read(ref _joinsSeen);

    /// <summary>True when the server closed or reset this member before the run ended (a slow consumer, say).</summary>
    public bool Lost { get; private set; }

    /// <summary>
    /// Connects, with <paramref name="tls"/> handshakes, and takes <paramref name="name"/> (all before the clock starts:
    /// joins are awaited first). The name is the first line on purpose: a server with a handshake deadline (`chat serve`
    /// has one by default) announces a newcomer only once it has sent a line, and closes the silent ones.
    /// </summary>
    public static async Task<ChatBenchClient> ConnectAsync(IPEndPoint server, TlsHandshake? tls, string name, Action<long> recordLatencyTicks, CancellationToken cancellationToken)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ChatBenchClient? client = null;
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            client = new ChatBenchClient(socket, tls is null ? null : await tls(socket, cancellationToken).ConfigureAwait(false), recordLatencyTicks);
            await client.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"/nick {name}\n")).ConfigureAwait(false);
            return client;
        }
        catch
        {
            // The client owns the socket once made.
            if (client is null)
            {
                socket.Dispose();
            }
            else
            {
                client.Dispose();
            }

            throw;
        }
    }

    /// <summary>Receives until the connection ends or <paramref name="cancellationToken"/> fires. Lines are short, so a 64 KiB buffer holds thousands.</summary>
    public async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var received = _tls is null
                    ? await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false)
                    : await _tls.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    Lost = true;
                    return;
                }

                filled += received;
                var consumed = CountLines(buffer.AsSpan(0, filled), Stopwatch.GetTimestamp());
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            Lost = true;
        }
    }

    /// <summary>Sends <c>t TIMESTAMP</c> lines at <paramref name="perSecond"/> (0 = flat out) until the token fires; returns how many.</summary>
    public async Task<long> SendLoopAsync(double perSecond, CancellationToken cancellationToken)
    {
        var batch = new byte[64 * 32];
        long sent = 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var due = perSecond > 0 ? (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSecond) - sent : 64;
                if (due <= 0)
                {
                    // Pace in ~1 ms steps: sending what is due in one write keeps syscalls per message low.
                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var count = (int)Math.Min(due, 64);
                var length = 0;
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    batch[length++] = (byte)'t';
                    batch[length++] = (byte)' ';
                    Utf8Formatter.TryFormat(now, batch.AsSpan(length), out var written);
                    length += written;
                    batch[length++] = (byte)'\n';
                }

                // The batch goes out whole even if the run ends meanwhile, so the count of messages sent is exact.
                await WriteAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
                sent += count;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            Lost = true;
        }

        return sent;
    }

    /// <summary>Writes all of <paramref name="data"/>, not cancellable: a write cut in the middle would leave half a line.</summary>
    private async Task WriteAsync(ReadOnlyMemory<byte> data)
    {
        if (_tls is not null)
        {
            await _tls.WriteAsync(data, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        while (!data.IsEmpty)
        {
            data = data[await _socket.SendAsync(data, SocketFlags.None, CancellationToken.None).ConfigureAwait(false)..];
        }
    }

    public void Dispose()
    {
        _tls?.Dispose();
        _socket.Dispose();
    }

    private int CountLines(ReadOnlySpan<byte> data, long now)
    {
        var consumed = 0;
        while (true)
        {
            var end = data[consumed..].IndexOf((byte)'\n');
            if (end < 0)
            {
                return consumed;
            }

            var line = data.Slice(consumed, end);
            consumed += end + 1;
            if (line.IsEmpty || line[0] != (byte)'<')
            {
                if (line.EndsWith(" joined"u8))
                {
                    Interlocked.Increment(ref _joinsSeen);
                }

                continue; // notices are not deliveries
            }

            Interlocked.Increment(ref _delivered);
            var text = line.IndexOf("> t "u8);
            if (text >= 0 && Utf8Parser.TryParse(line[(text + 4)..], out long sentAt, out _))
            {
                _recordLatencyTicks(now - sentAt);
            }
        }
    }
}
