using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

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

    public string StatusLine => $"HTTP/{Version} {(int)Status} {Reason}";
}

/// <summary>
/// A GET or HEAD through HttpClient (redirects followed, up to a bound) whose body goes to a stream, with network
/// failures turned into one-line messages. The seed used WinINet's CInternetSession for this.
/// </summary>
public static class HttpFetch
{
    public static HttpClient CreateClient(int maxRedirects, TimeSpan connectTimeout) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = maxRedirects > 0,
        MaxAutomaticRedirections = Math.Max(1, maxRedirects),
        ConnectTimeout = connectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        // The caller's token carries the overall deadline; HttpClient's own would report it as a vague cancellation.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static async Task<HttpFetchResult> FetchAsync(
        HttpClient client, Uri url, bool headOnly, Func<HttpFetchResult, Stream?> openDestination,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(headOnly ? HttpMethod.Head : HttpMethod.Get, url);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("wirekit", "1.0"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);

        var headers = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
            .ToList();
        var result = new HttpFetchResult(
            response.RequestMessage?.RequestUri ?? url, response.Version, response.StatusCode, response.ReasonPhrase, headers, 0);
        if (headOnly)
        {
            return result;
        }

        var destination = openDestination(result);
        if (destination is null)
        {
            return result;
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var bytes = await StreamCopier.CopyAsync(body, destination, 0, response.Content.Headers.ContentLength, progress, null, ct)
            .ConfigureAwait(false);
        return result with { BodyBytes = bytes };
    }

    /// <summary>One line for the user; the inner SocketException says what really happened.</summary>
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
                HttpRequestError.ConnectionError => $"cannot connect to {authority}: {e.Message}",
                HttpRequestError.SecureConnectionError => $"TLS handshake with {authority} failed: {e.Message}",
                HttpRequestError.ResponseEnded => $"{authority} closed the connection before the response ended",
                _ => e.Message,
            },
        };
    }
}
