using System.Security.Cryptography;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Diagnostics;

public sealed class HttpCommandTests(NginxFixture nginx) : IClassFixture<NginxFixture>
{
    [SkippableFact]
    public async Task A_download_to_a_file_is_byte_identical()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var file = Path.Combine(Path.GetTempPath(), $"wirekit-http-{Guid.NewGuid():N}.bin");
        try
        {
            var settings = new HttpCommand.Settings { Url = nginx.Url("/files/large.bin"), OutputFile = file };
            var (exit, _, _, error) = await RunAsync(settings);

            Assert.Equal(0, exit);
            Assert.Equal(SHA256.HashData(nginx.LargeFile), SHA256.HashData(await File.ReadAllBytesAsync(file)));
            Assert.Contains($"({nginx.LargeFile.Length} bytes)", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task A_redirect_is_followed_and_include_shows_the_final_status_and_headers()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var (exit, text, body, _) = await RunAsync(new HttpCommand.Settings { Url = nginx.Url("/moved"), IncludeHeaders = true });

        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/1.1 200 OK", text);
        Assert.Contains("Server: nginx", text);
        Assert.Equal("hello from nginx\n", System.Text.Encoding.UTF8.GetString(body));
    }

    [SkippableFact]
    public async Task Head_prints_headers_and_no_body()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var (exit, text, body, _) = await RunAsync(new HttpCommand.Settings { Url = nginx.Url("/files/large.bin"), HeadOnly = true });

        Assert.Equal(0, exit);
        Assert.Contains($"Content-Length: {nginx.LargeFile.Length}", text);
        Assert.Empty(body);
    }

    [SkippableFact]
    public async Task Not_found_is_an_error_with_a_non_zero_exit()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var (exit, _, body, error) = await RunAsync(new HttpCommand.Settings { Url = nginx.Url("/files/missing.txt") });

        Assert.Equal(1, exit);
        Assert.Contains("404 Not Found", error);
        Assert.Empty(body);
    }

    [SkippableFact]
    public async Task An_unwritable_output_file_is_an_error_not_a_crash()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var file = Path.Combine(Path.GetTempPath(), $"wirekit-missing-{Guid.NewGuid():N}", "out.bin");
        var (exit, _, _, error) = await RunAsync(new HttpCommand.Settings { Url = nginx.Url("/files/hello.txt"), OutputFile = file });

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: writing {file}:", error);
    }

    [SkippableFact]
    public async Task Include_prints_the_headers_as_received_in_case_order_and_folding()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var (exit, text, _, _) = await RunAsync(new HttpCommand.Settings { Url = nginx.Url("/files/raw.txt"), IncludeHeaders = true });

        Assert.Equal(0, exit);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("HTTP/1.1 200 OK", lines[0]);
        Assert.Matches(@"^Server: nginx/[\d.]+$", lines[1]);
        // HttpClient alone prints "Cache-Control", two Via lines, and one unfolded X-Folded line.
        var from = Array.IndexOf(lines, "cache-CONTROL: no-cache");
        Assert.True(from > 0, text);
        Assert.Equal(["cache-CONTROL: no-cache", "Via: 1.1 proxy (comment), 1.0 other", "X-Folded: first", "  second"], lines[from..(from + 4)]);
        Assert.Single(lines, line => line.StartsWith("Via:"));
    }

    [SkippableFact]
    public async Task Json_has_status_headers_as_received_body_size_and_timings_and_no_body()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        var (exit, text, body, _) = await RunAsync(new HttpCommand.Settings { Url = nginx.Url("/files/raw.txt"), Json = true });

        Assert.Equal(0, exit);
        Assert.Empty(body);
        using var json = System.Text.Json.JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal(4, root.GetProperty("bodyBytes").GetInt64());
        var headers = root.GetProperty("headers").EnumerateArray()
            .Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString())).ToList();
        Assert.Contains(("cache-CONTROL", "no-cache"), headers);
        Assert.Contains(("X-Folded", "first second"), headers);
        Assert.True(root.GetProperty("timings").GetProperty("totalMs").GetDouble() >= root.GetProperty("timings").GetProperty("headersMs").GetDouble());
    }

    [SkippableFact]
    public async Task A_TLS_failure_says_the_inner_reason()
    {
        Skip.If(nginx.Unavailable is not null, nginx.Unavailable);
        // nginx answers TLS on its plain-HTTP port with an HTTP 400 page: no TLS record at all.
        var https = new UriBuilder(nginx.Url("/files/hello.txt")) { Scheme = "https" }.Uri;
        var (exit, _, _, error) = await RunAsync(new HttpCommand.Settings { Url = https });

        Assert.Equal(1, exit);
        Assert.Equal($"error: TLS handshake with 127.0.0.1:{nginx.Port} failed: Cannot determine the frame size or a corrupted frame was received\n", error);
    }

    [Fact]
    public async Task A_refused_connection_is_one_clear_line()
    {
        var closedPort = Infrastructure.ExternalServer.FreePort();
        var (exit, _, _, error) = await RunAsync(new HttpCommand.Settings { Url = new Uri($"http://127.0.0.1:{closedPort}/") });

        Assert.Equal(1, exit);
        Assert.Equal($"error: connection refused by 127.0.0.1:{closedPort}: nothing listens there", error.Trim());
    }

    private static async Task<(int Exit, string Text, byte[] Body, string Error)> RunAsync(HttpCommand.Settings settings)
    {
        var text = new StringWriter();
        var error = new StringWriter();
        var body = new MemoryStream();
        try
        {
            var exit = await HttpCommand.RunAsync(settings, text, body, error, progress: null, CancellationToken.None)
                .WaitAsync(Deadline.Default);
            return (exit, text.ToString(), body.ToArray(), error.ToString());
        }
        catch (CommandFailure failure)
        {
            // What the runner prints for it.
            return (failure.ExitCode, text.ToString(), body.ToArray(), $"{error}error: {failure.Message}\n");
        }
    }
}
