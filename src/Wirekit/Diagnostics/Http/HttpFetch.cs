using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Wirekit.Diagnostics.Http;

namespace Wirekit.Diagnostics;

/// <summary>What one `http get` came back with: the final response after redirects, and how much body was read.</summary>
public sealed record HttpFetchResult(
    Uri FinalUri,
    Version Version,
    HttpStatusCode Status,
    string? Reason,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    long BodyBytes)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The head exactly as the server sent it; null over HTTP/2, which has no text head to show.</summary>
    public ResponseHead? Head { get; init; }

    /// <summary>From sending the first request to the final response's headers (redirects and connecting included).</summary>
    public TimeSpan HeadersAfter { get; init; }

    /// <summary>From sending the first request to the last body byte written.</summary>
    public TimeSpan Elapsed { get; init; }

    public string StatusLine => Head?.Lines[0] ?? $"HTTP/{Version} {(int)Status} {Reason}";
}

/// <summary>
/// A GET or HEAD through HttpClient (redirects followed, up to a bound) whose body goes to a stream, keeping the
/// response head as received. One fetch at a time per client: the head it reports is the last one its connections read.
/// </summary>
public sealed class HttpFetchClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly ResponseHeadRecorder _heads = new();

    public HttpFetchClient(int maxRedirects, TimeSpan connectTimeout)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = maxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, maxRedirects),
            ConnectTimeout = connectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            // After TLS, before HttpClient's parser: where the head is still the server's bytes.
            PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(new ResponseHeadTap(context.PlaintextStream, _heads)),
        })
        {
            // The caller's token carries the overall deadline; HttpClient's own would report it as a vague cancellation.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<HttpFetchResult> FetchAsync(
        Uri url, bool headOnly, Func<HttpFetchResult, Stream?> openDestination, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        _heads.Last = null;
        using var request = new HttpRequestMessage(headOnly ? HttpMethod.Head : HttpMethod.Get, url);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("wirekit", "1.0"));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);

        // Over HTTP/2 there is no text head; a head of another status is not this response's (it was too large to keep).
        var head = _heads.Last is { } last && response.Version.Major == 1 && last.Status == (int)response.StatusCode ? last : null;
        var headers = head?.Fields ?? response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
            .ToList();
        var result = new HttpFetchResult(
            response.RequestMessage?.RequestUri ?? url, response.Version, response.StatusCode, response.ReasonPhrase, headers, 0)
        {
            Head = head,
            HeadersAfter = clock.Elapsed,
            Elapsed = clock.Elapsed,
        };
        var destination = headOnly ? null : openDestination(result);
        if (destination is null)
        {
            return result;
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var bytes = await StreamCopier.CopyAsync(body, destination, 0, response.Content.Headers.ContentLength, progress, null, ct)
            .ConfigureAwait(false);
        return result with { BodyBytes = bytes, Elapsed = clock.Elapsed };
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>Network failures of a fetch as one line for a person.</summary>
public static class HttpFetch
{
    /// <summary>One line for the user; the inner SocketException or TLS error says what really happened.</summary>
    public static string Describe(HttpRequestException e, Uri url)
    {
        var authority = $"{url.Host}:{url.Port}";
        return (e.InnerException as SocketException)?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"connection refused by {authority}: nothing listens there",
            SocketError.HostNotFound or SocketError.NoData => $"cannot resolve host '{url.Host}'",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{authority} is unreachable",
            SocketError.TimedOut => $"connecting to {authority} timed out",
            _ => e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => $"cannot resolve host '{url.Host}'",
                HttpRequestError.ConnectionError => $"cannot connect to {authority}: {InnermostReason(e)}",
                // "The SSL connection could not be established, see inner exception." names no reason; the inner one does.
                HttpRequestError.SecureConnectionError => $"TLS handshake with {authority} failed: {InnermostReason(e)}",
                HttpRequestError.ResponseEnded => $"{authority} closed the connection before the response ended",
                _ => InnermostReason(e),
            },
        };
    }

    private static string InnermostReason(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message.ReplaceLineEndings(" ").TrimEnd('.');
    }
}
