using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `--metrics ADDR:PORT`: a small HTTP server for scrapers and people. <c>/metrics</c> is the Prometheus text format,
/// <c>/</c> the status page, <c>/status.json</c> its figures. Made of a plain socket (no HttpListener: port 0 works,
/// so tests never collide, and nothing outside the framework is needed). Every request is answered and the connection
/// closed; a request head is bounded (8 KiB) and so is its wait (5 s); at most 16 requests are served at once.
/// </summary>
internal sealed partial class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxConcurrentRequests = 16;
    private static readonly TimeSpan RequestTimeLimit = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly MetricsCollector _collector = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _requests = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrentRequests);
    private readonly Task _acceptLoop;

    private MetricsEndpoint(Socket listener)
    {
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptAsync(_stopping.Token);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>What a person types into a browser or a scrape config.</summary>
    public string Url => LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
        ? $"http://[{LocalEndPoint.Address}]:{LocalEndPoint.Port}/"
        : $"http://{LocalEndPoint}/";

    /// <summary>Binds and starts serving; throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    public static MetricsEndpoint Start(IPEndPoint address)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(address);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new MetricsEndpoint(listener);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_requests.Keys).ConfigureAwait(false);
        _collector.Dispose();
        // _slots is not disposed: a finished request's continuation may still release it after the wait above
        // (a SemaphoreSlim whose wait handle was never asked for holds nothing to free).
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                var request = ServeAsync(client, cancellationToken);
                _requests.TryAdd(request, 0);
                // ServeAsync never throws, and every request task is awaited at dispose; this only frees its slot.
                _ = request.ContinueWith(static (done, state) => ((MetricsEndpoint)state!).Finished(done), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Finished(Task request)
    {
        _requests.TryRemove(request, out _);
        _slots.Release();
    }

    /// <summary>One request, one response, then close. Never throws: a client that vanishes is its own loss.</summary>
    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        using (client)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            limit.CancelAfter(RequestTimeLimit);
            try
            {
                var response = await HttpRequestHead.ReadAsync(client, limit.Token).ConfigureAwait(false) is { } head
                    ? Respond(head)
                    : HttpResponse.Text(400, "Bad Request", "a request head is one GET line and headers, at most 8 KiB\n");
                await client.SendAsync(response.ToBytes(), SocketFlags.None, limit.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private HttpResponse Respond(HttpRequestHead head)
    {
        if (head.Method is not ("GET" or "HEAD"))
        {
            return HttpResponse.Text(405, "Method Not Allowed", "only GET is served here\n");
        }

        var response = head.Path switch
        {
            "/metrics" => new HttpResponse(200, "OK", PrometheusText.ContentType, Encoding.UTF8.GetBytes(PrometheusText.Write(_collector.Collect()))),
            "/" or "/index.html" => new HttpResponse(200, "OK", "text/html; charset=utf-8", StatusPage.Html),
            "/status.json" => new HttpResponse(200, "OK", "application/json", Encoding.UTF8.GetBytes(StatusPage.Figures(_collector.Collect()))),
            _ => HttpResponse.Text(404, "Not Found", "here: /metrics (Prometheus), / (status page), /status.json\n"),
        };
        return response with { HeadOnly = head.Method == "HEAD" };
    }
}
