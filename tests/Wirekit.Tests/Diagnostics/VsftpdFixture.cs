using System.Security.Cryptography;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Diagnostics;

/// <summary>
/// A real vsftpd on 127.0.0.1 at a high port, in the foreground (background=NO) as our child, killed by PID on
/// dispose. Anonymous login without password; anon_root is a temp folder owned by root, mode 755 (vsftpd refuses a
/// writable chroot), with a world-writable upload/ for `put`. Needs root: vsftpd chroots and drops to user ftp.
/// </summary>
public sealed class VsftpdFixture : IAsyncLifetime
{
    private ExternalServer? _server;
    private string? _config;

    public string Root { get; } = Directory.CreateTempSubdirectory("wirekit-ftp-").FullName;

    public string UploadDirectory => Path.Combine(Root, "upload");

    public int Port { get; private set; }

    public string? Unavailable { get; private set; }

    public byte[] Content { get; } = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 33);

    public string Url(string path) => $"ftp://127.0.0.1:{Port}/{path}";

    public async Task InitializeAsync()
    {
        var binary = ExternalServer.Find("vsftpd");
        if (binary is null || !OperatingSystem.IsLinux())
        {
            Unavailable = "vsftpd not installed (Debian package vsftpd; ./test.sh installs it as root)";
            return;
        }

        if (Environment.UserName != "root")
        {
            Unavailable = "vsftpd needs root (it chroots and switches to user ftp for anonymous sessions)";
            return;
        }

        Directory.CreateDirectory("/var/run/vsftpd/empty");
        Directory.CreateDirectory(UploadDirectory);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(UploadDirectory, (UnixFileMode)0b111_111_111);
        await System.IO.File.WriteAllBytesAsync(Path.Combine(Root, "data.bin"), Content);
        await System.IO.File.WriteAllTextAsync(Path.Combine(Root, "readme.txt"), "wirekit ftp test\n");

        for (var attempt = 1; ; attempt++)
        {
            Port = ExternalServer.FreePort();
            // Outside anon_root, so anonymous users cannot read the server's configuration.
            _config ??= Path.Combine(Path.GetTempPath(), $"wirekit-vsftpd-{Guid.NewGuid():N}.conf");
            await System.IO.File.WriteAllTextAsync(_config, Config(Port, PassivePortBase()));
            _server = ExternalServer.Start(binary, [_config]);
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

    // A random block of 50 ports in the upper ephemeral range, so parallel runs rarely collide on data ports.
    private static int PassivePortBase() => Random.Shared.Next(40_000, 60_000);

    private string Config(int port, int passiveBase) => $"""
        listen=YES
        listen_ipv6=NO
        listen_address=127.0.0.1
        listen_port={port}
        background=NO
        anonymous_enable=YES
        no_anon_password=YES
        anon_root={Root}
        local_enable=NO
        write_enable=YES
        anon_upload_enable=YES
        anon_other_write_enable=YES
        anon_umask=022
        pasv_enable=YES
        pasv_address=127.0.0.1
        pasv_min_port={passiveBase}
        pasv_max_port={passiveBase + 50}
        connect_from_port_20=NO
        seccomp_sandbox=NO
        secure_chroot_dir=/var/run/vsftpd/empty
        xferlog_enable=NO
        syslog_enable=NO
        """ + "\n";

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_config is not null)
        {
            System.IO.File.Delete(_config);
        }

        Directory.Delete(Root, recursive: true);
    }
}
