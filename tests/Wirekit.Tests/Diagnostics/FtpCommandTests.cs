using System.Security.Cryptography;
using Wirekit.Cli.Commands;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics.Ftp;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Diagnostics;

public sealed class FtpCommandTests(VsftpdFixture vsftpd) : IClassFixture<VsftpdFixture>, IDisposable
{
    private readonly string _local = Path.Combine(Path.GetTempPath(), $"wirekit-ftp-{Guid.NewGuid():N}.bin");

    [SkippableFact]
    public async Task List_shows_the_servers_files()
    {
        Skip.If(vsftpd.Unavailable is not null, vsftpd.Unavailable);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await FtpCommand.RunListAsync(Settings("") with { Json = true }, output, error, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.True(exit == 0, error.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var names = json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("data.bin", names);
        Assert.Contains("readme.txt", names);
        Assert.Contains("upload", names);
    }

    [SkippableFact]
    public async Task Get_downloads_a_byte_identical_copy()
    {
        Skip.If(vsftpd.Unavailable is not null, vsftpd.Unavailable);
        var error = new StringWriter();

        var exit = await FtpCommand.RunGetAsync(Settings("data.bin"), _local, resume: false, TextWriter.Null, error, null, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.True(exit == 0, error.ToString());
        Assert.Equal(SHA256.HashData(vsftpd.Content), SHA256.HashData(await File.ReadAllBytesAsync(_local)));
    }

    [SkippableFact]
    public async Task Get_with_resume_fetches_only_the_missing_tail()
    {
        Skip.If(vsftpd.Unavailable is not null, vsftpd.Unavailable);
        const int already = 700_001;
        await File.WriteAllBytesAsync(_local, vsftpd.Content[..already]);
        var error = new StringWriter();

        var exit = await FtpCommand.RunGetAsync(Settings("data.bin"), _local, resume: true, TextWriter.Null, error, null, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains($"resumed at {already}", error.ToString());
        Assert.Equal(SHA256.HashData(vsftpd.Content), SHA256.HashData(await File.ReadAllBytesAsync(_local)));
    }

    [SkippableFact]
    public async Task Get_json_says_the_size_and_where_it_resumed()
    {
        Skip.If(vsftpd.Unavailable is not null, vsftpd.Unavailable);
        const int already = 1000;
        await File.WriteAllBytesAsync(_local, vsftpd.Content[..already]);
        var output = new StringWriter();

        var exit = await FtpCommand.RunGetAsync(Settings("data.bin") with { Json = true }, _local, resume: true, output, TextWriter.Null, null, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal(vsftpd.Content.Length, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(already, json.RootElement.GetProperty("resumedAt").GetInt64());
        Assert.Equal(vsftpd.Content.Length - already, json.RootElement.GetProperty("newBytes").GetInt64());
        Assert.Equal(_local, json.RootElement.GetProperty("file").GetString());
        Assert.Equal(SHA256.HashData(vsftpd.Content), SHA256.HashData(await File.ReadAllBytesAsync(_local)));
    }

    [SkippableFact]
    public async Task Put_uploads_a_byte_identical_copy()
    {
        Skip.If(vsftpd.Unavailable is not null, vsftpd.Unavailable);
        var content = RandomNumberGenerator.GetBytes(1024 * 1024 + 5);
        await File.WriteAllBytesAsync(_local, content);
        var name = $"put-{Guid.NewGuid():N}.bin";
        var error = new StringWriter();

        var exit = await FtpCommand.RunPutAsync(Settings($"upload/{name}"), _local, TextWriter.Null, error, null, CancellationToken.None).WaitAsync(Deadline.Default);

        Assert.True(exit == 0, error.ToString());
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(vsftpd.UploadDirectory, name))));
    }

    [SkippableFact]
    public async Task A_missing_file_is_a_one_line_error_with_the_servers_code()
    {
        Skip.If(vsftpd.Unavailable is not null, vsftpd.Unavailable);
        var error = new StringWriter();

        var failure = await Assert.ThrowsAsync<CommandFailure>(() => FtpCommand.RunGetAsync(
            Settings("nope.bin"), _local, resume: false, TextWriter.Null, error, null, CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Equal(1, failure.ExitCode);
        Assert.StartsWith($"127.0.0.1:{vsftpd.Port}: RETR failed: 550", failure.Message);
        Assert.False(File.Exists(_local), "a failed download must not leave an empty file");
    }

    [Fact]
    public async Task No_server_is_a_refused_connection_not_an_exception()
    {
        var port = Infrastructure.ExternalServer.FreePort();
        FtpUrl.TryParse($"ftp://127.0.0.1:{port}/", out var url, out _);
        var failure = await Assert.ThrowsAsync<CommandFailure>(() => FtpCommand.RunListAsync(
            new FtpCommand.Settings { Url = url! }, TextWriter.Null, TextWriter.Null, CancellationToken.None).WaitAsync(Deadline.Default));

        Assert.Equal($"connection refused by 127.0.0.1:{port}: no FTP server there", failure.Message);
    }

    private FtpCommand.Settings Settings(string path)
    {
        Assert.True(FtpUrl.TryParse(vsftpd.Url(path), out var url, out var problem), problem);
        return new FtpCommand.Settings { Url = url!, TimeoutSeconds = 10 };
    }

    public void Dispose() => File.Delete(_local);
}
