using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace Wirekit.Cli.Hosting;

/// <summary>The first line of an HTTP request: all the metrics endpoint needs of it.</summary>
internal sealed record HttpRequestHead(string Method, string Path)
{
    /// <summary>A scraper's or a browser's request head is well under a kilobyte; more than this is not one.</summary>
    private const int MaxHeadBytes = 8192;

    /// <summary>Reads up to the blank line that ends the head; null for a head too long, cut short or malformed.</summary>
    public static async Task<HttpRequestHead?> ReadAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxHeadBytes);
        try
        {
            var filled = 0;
            while (filled < MaxHeadBytes)
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(filled, MaxHeadBytes - filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                filled += read;
                if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    return Parse(Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, filled).IndexOf("\r\n"u8)));
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>"GET /metrics?x=1 HTTP/1.1" is GET /metrics.</summary>
    private static HttpRequestHead? Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !parts[1].StartsWith('/'))
        {
            return null;
        }

        var query = parts[1].IndexOf('?', StringComparison.Ordinal);
        return new HttpRequestHead(parts[0], query < 0 ? parts[1] : parts[1][..query]);
    }
}

/// <summary>A whole response, sent at once with its length, then the connection closes.</summary>
internal sealed record HttpResponse(int Status, string Reason, string ContentType, byte[] Body)
{
    /// <summary>HEAD: the same headers, no body.</summary>
    public bool HeadOnly { get; init; }

    public static HttpResponse Text(int status, string reason, string text) => new(status, reason, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    public byte[] ToBytes()
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {Status} {Reason}\r\nContent-Type: {ContentType}\r\nContent-Length: {Body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        return HeadOnly ? head : [.. head, .. Body];
    }
}
