using System.Security.Cryptography;
using Wirekit.Cli.Commands;

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
        var exit = await HttpCommand.RunAsync(settings, text, body, error, progress: null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, text.ToString(), body.ToArray(), error.ToString());
    }
}
