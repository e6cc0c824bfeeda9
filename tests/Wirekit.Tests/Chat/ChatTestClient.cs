using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>A chat peer for tests: sends messages with the terminator it is told, reads lines back with bounded waits.</summary>
internal sealed class ChatTestClient : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private readonly TestClient _connection;

    private ChatTestClient(TestClient connection) => _connection = connection;

    public Socket Socket => _connection.Socket;

    /// <summary>The terminator of the last line read.</summary>
    public byte LastTerminator { get; private set; }

    public static async Task<ChatTestClient> ConnectAsync(IPEndPoint server, int? receiveBuffer = null)
        => new(await TestClient.ConnectAsync(server, receiveBuffer: receiveBuffer));

    /// <summary>Adopts a socket already connected (one created inside a network namespace, say).</summary>
    public static ChatTestClient Wrap(Socket socket) => new(TestClient.Wrap(socket));

    /// <summary>Connects and reads the welcome and the own join notice; returns the default name.</summary>
    public static async Task<(ChatTestClient Client, string Name)> JoinAsync(IPEndPoint server)
    {
        var client = await ConnectAsync(server);
        var welcome = await client.ReadLineAsync();
        Assert.StartsWith("-!- welcome, you are ", welcome);
        var name = welcome["-!- welcome, you are ".Length..welcome.IndexOf(';')];
        await client.SkipUntilAsync($"-!- {name} joined");
        return (client, name);
    }

    /// <summary>Connects, takes <paramref name="name"/> with the first line (so the join notice has it), and reads up to that notice.</summary>
    public static async Task<ChatTestClient> JoinAsAsync(IPEndPoint server, string name)
    {
        var client = await ConnectAsync(server);
        await client.SendLineAsync($"/nick {name}");
        await client.SkipUntilAsync($"-!- {name} joined");
        return client;
    }

    public Task SendLineAsync(string text, char terminator = '\n') => SendRawAsync(Encoding.UTF8.GetBytes(text + terminator));

    public Task SendRawAsync(ReadOnlyMemory<byte> data) => _connection.SendAsync(data);

    /// <summary>The next line (ended by \n or \0), without its terminator. Throws at end of stream or after the deadline.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? limit = null)
        => await TryReadLineAsync(limit) ?? throw new EndOfStreamException("the server closed the connection");

    /// <summary>The next line, or null when the stream ends (FIN or reset) first.</summary>
    public async Task<string?> TryReadLineAsync(TimeSpan? limit = null)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var end = span.IndexOfAny((byte)'\n', (byte)0);
            if (end >= 0)
            {
                var line = Encoding.UTF8.GetString(span[..end]);
                LastTerminator = span[end];
                _start += end + 1;
                return line;
            }

            if (_start > 0)
            {
                span.CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            int received;
            try
            {
                received = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).AsTask().WaitAsync(limit ?? Deadline.Default);
            }
            catch (SocketException)
            {
                return null;
            }

            if (received == 0)
            {
                return null;
            }

            _end += received;
        }
    }

    /// <summary>Reads until <paramref name="expected"/> arrives, returning the lines before it.</summary>
    public async Task<List<string>> SkipUntilAsync(string expected)
    {
        var skipped = new List<string>();
        while (await ReadLineAsync() is var line && line != expected)
        {
            skipped.Add(line);
        }

        return skipped;
    }

    /// <summary>True once the server has closed the stream (any lines still in flight are skipped).</summary>
    public async Task<bool> ReadsToEndAsync()
    {
        while (await TryReadLineAsync() is not null)
        {
        }

        return true;
    }

    /// <summary>Closes with RST instead of FIN (linger 0), as a crashing peer would.</summary>
    public void Reset() => _connection.Reset();

    public void Dispose() => _connection.Dispose();
}
