using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Cli.Hosting;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Metrics;

/// <summary>The endpoint's HTTP side against clients that misbehave: each is answered or dropped, the others served.</summary>
public sealed class MetricsEndpointHttpTests
{
    [Fact]
    public async Task A_client_that_says_nothing_is_closed_after_the_time_limit_and_a_scrape_is_served_meanwhile()
    {
        await using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var silent = await TestClient.ConnectAsync(endpoint.LocalEndPoint);
        using var http = new HttpClient { Timeout = Deadline.Default };

        // The body depends on whether this process started a server yet; the answer itself does not.
        using var scrape = await http.GetAsync(new Uri(endpoint.Url + "metrics"));

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType?.ToString());
        // Closed by the endpoint's 5 s limit on a request, well within the test's deadline.
        Assert.True(await silent.ReceiveEndAsync());
    }

    [Fact]
    public async Task A_request_head_past_8_KiB_is_answered_400_and_closed()
    {
        await using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = await TestClient.ConnectAsync(endpoint.LocalEndPoint);
        await client.SendAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX-Padding: " + new string('x', 9000) + "\r\n\r\n"));

        var response = await ReadToEndAsync(client.Socket);

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", response);
        Assert.EndsWith("\r\n\r\na request head is one GET line and headers, at most 8 KiB\n", response);
    }

    [Fact]
    public async Task Another_method_is_answered_405()
    {
        await using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var http = new HttpClient { Timeout = Deadline.Default };

        using var response = await http.PostAsync(new Uri(endpoint.Url + "metrics"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Deadline.Default)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
