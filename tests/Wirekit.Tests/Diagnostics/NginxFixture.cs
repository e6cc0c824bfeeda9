using System.Security.Cryptography;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Diagnostics;

/// <summary>
/// A real nginx on 127.0.0.1 at a high port with its own prefix, config, pid file and error log in a temp folder,
/// serving files the fixture writes (a 3 MiB random file, a small text file, a redirect, a file with odd headers). It never touches
/// the system nginx or port 80.
/// </summary>
public sealed class NginxFixture : IAsyncLifetime
{
    private ExternalServer? _server;

    public string Root { get; } = Directory.CreateTempSubdirectory("wirekit-nginx-").FullName;

    public int Port { get; private set; }

    public string? Unavailable { get; private set; }

    public byte[] LargeFile { get; } = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public async Task InitializeAsync()
    {
        var binary = ExternalServer.Find("nginx");
        if (binary is null || !OperatingSystem.IsLinux())
        {
            Unavailable = "nginx not installed (Debian package nginx; ./test.sh installs it as root)";
            return;
        }

        var site = Directory.CreateDirectory(Path.Combine(Root, "www", "files")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(site, "large.bin"), LargeFile);
        await File.WriteAllTextAsync(Path.Combine(site, "hello.txt"), "hello from nginx\n");
        await File.WriteAllTextAsync(Path.Combine(site, "raw.txt"), "raw\n");
        // Workers run as an unprivileged user; they must be able to walk into the temp folder.
        foreach (var directory in new[] { Root, Path.Combine(Root, "www"), site })
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        for (var attempt = 1; ; attempt++)
        {
            Port = ExternalServer.FreePort();
            var config = Path.Combine(Root, "nginx.conf");
            await File.WriteAllTextAsync(config, Config(Port));
            _server = ExternalServer.Start(binary,
                ["-p", Root, "-c", config, "-e", Path.Combine(Root, "error.log"), "-g", "daemon off;"]);
            try
            {
                await _server.WaitUntilReadyAsync(() => ExternalServer.AcceptsTcpAsync(Port), TimeSpan.FromSeconds(10));
                return;
            }
            catch (Exception) when (attempt < 3)
            {
                await _server.DisposeAsync();
            }
        }
    }

    private string Config(int port) => $$"""
        worker_processes 1;
        pid {{Root}}/nginx.pid;
        error_log {{Root}}/error.log;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path {{Root}}/client_body;
            proxy_temp_path {{Root}}/proxy;
            fastcgi_temp_path {{Root}}/fastcgi;
            uwsgi_temp_path {{Root}}/uwsgi;
            scgi_temp_path {{Root}}/scgi;
            default_type application/octet-stream;
            server {
                listen 127.0.0.1:{{port}};
                root {{Root}}/www;
                location = /moved { return 302 /files/hello.txt; }
                # Headers HttpClient would re-case, split or unfold: -i must show them as sent.
                location = /files/raw.txt {
                    add_header cache-CONTROL "no-cache";
                    add_header Via "1.1 proxy (comment), 1.0 other";
                    add_header X-Folded "first
          second";
                }
            }
        }
        """;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }
}
