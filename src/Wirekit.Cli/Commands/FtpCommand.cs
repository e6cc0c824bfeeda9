using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wirekit.Diagnostics;
using Wirekit.Diagnostics.Ftp;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit ftp list|get|put`: the seed's WinINet FTP client, as a small RFC 959 client of Wirekit's own.</summary>
internal static class FtpCommand
{
    internal sealed record Settings
    {
        public required FtpUrl Url { get; init; }
        public double TimeoutSeconds { get; init; } = 10;
        public bool Verbose { get; init; }
    }

    public static Command Create()
    {
        var command = new Command("ftp",
            "FTP client: list a directory, download (with resume) or upload a file. Passive mode (EPSV, or PASV for " +
            "old servers) and binary transfers. The URL is ftp://[user[:password]@]host[:port]/path; no user means anonymous.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateGet());
        command.Subcommands.Add(CreatePut());
        return command;
    }

    private static Argument<string> UrlArgument(string what) => new("url") { Description = $"ftp:// URL of the {what}." };

    private static Option<double> TimeoutOption()
    {
        var timeout = CommonOptions.Timeout(10);
        timeout.Description = "Seconds to wait for the connection, each server reply, and any stalled transfer.";
        return timeout;
    }

    private static Command CreateList()
    {
        var url = UrlArgument("directory");
        var timeout = TimeoutOption();
        var json = CommonOptions.Json();
        json.Description = "Print the listing as JSON: each line of the server's LIST output and the name it ends with.";
        var verbose = CommonOptions.Verbose();
        verbose.Description = "Show the FTP commands and replies on standard error (the password is masked).";
        var list = new Command("list", "List a remote directory (the server's LIST output).") { url, timeout, json, verbose };
        list.SetAction((parse, ct) => WithUrl(parse.GetValue(url)!, parse.GetValue(timeout), parse.GetValue(verbose), settings =>
            RunListAsync(settings, parse.GetValue(json), Console.Out, Console.Error, ct)));
        return list;
    }

    private static Command CreateGet()
    {
        var url = UrlArgument("file");
        var output = new Option<string?>("--output", "-o") { Description = "Local file to write (default: the remote file's name)." };
        var resume = new Option<bool>("--resume", "-c")
        {
            Description = "Continue a partial download: keep the bytes already in the local file and ask the server " +
                          "to start after them (REST).",
        };
        var timeout = TimeoutOption();
        var verbose = CommonOptions.Verbose();
        var get = new Command("get", "Download a file in binary mode, with a progress line.") { url, output, resume, timeout, verbose };
        get.SetAction((parse, ct) => WithUrl(parse.GetValue(url)!, parse.GetValue(timeout), parse.GetValue(verbose), settings =>
        {
            var file = parse.GetValue(output) ?? settings.Url.FileName;
            return RunGetAsync(settings, file, parse.GetValue(resume), Console.Error, Progress(), ct);
        }));
        return get;
    }

    private static Command CreatePut()
    {
        var url = UrlArgument("file to create on the server");
        var file = new Argument<string>("file") { Description = "Local file to upload." };
        var timeout = TimeoutOption();
        var verbose = CommonOptions.Verbose();
        var put = new Command("put", "Upload a local file in binary mode (STOR), with a progress line.") { url, file, timeout, verbose };
        put.SetAction((parse, ct) => WithUrl(parse.GetValue(url)!, parse.GetValue(timeout), parse.GetValue(verbose), settings =>
            RunPutAsync(settings, parse.GetValue(file)!, Console.Error, Progress(), ct)));
        return put;
    }

    internal static async Task<int> RunListAsync(Settings settings, bool asJson, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var listing = new MemoryStream();
        var exit = await GuardAsync(settings, error, async client => await client.ListAsync(settings.Url.Path, listing, ct), ct);
        if (exit != 0)
        {
            return exit;
        }

        var lines = Encoding.UTF8.GetString(listing.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r')).ToList();
        if (asJson)
        {
            // Unix-style LIST lines end with the name after eight fields; anything else is kept whole.
            output.WriteLine(JsonSerializer.Serialize(lines.Select(line => new
            {
                name = line.Split(' ', 9, StringSplitOptions.RemoveEmptyEntries) is { Length: 9 } fields ? fields[8] : line,
                line,
            }), new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            lines.ForEach(output.WriteLine);
        }

        return 0;
    }

    internal static async Task<int> RunGetAsync(
        Settings settings, string file, bool resume, TextWriter error, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        if (file.Length == 0)
        {
            error.WriteLine("error: the URL names no file; give one, or -o FILE");
            return 1;
        }

        var existed = File.Exists(file);
        var offset = resume && existed ? new FileInfo(file).Length : 0;
        long? total = null;
        var exit = await GuardAsync(settings, error, async client =>
        {
            total = await client.SizeAsync(settings.Url.Path, ct);
            if (total is { } size && offset >= size)
            {
                // Already complete: nothing to fetch (REST past the end would be refused).
                offset = size;
                return;
            }

            await using var destination = new FileStream(file, offset > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write);
            await client.RetrieveAsync(settings.Url.Path, destination, offset, total, progress, ct);
        }, ct);
        (progress as ProgressLine)?.Finish();
        if (exit != 0 && !existed && File.Exists(file) && new FileInfo(file).Length == 0)
        {
            // Nothing arrived (e.g. 550 no such file): leave no empty file behind. A partial one is kept for --resume.
            File.Delete(file);
        }

        if (exit == 0)
        {
            var length = new FileInfo(file).Length;
            error.WriteLine(offset > 0
                ? $"saved {file}: {length} bytes ({length - offset} new, resumed at {offset})"
                : $"saved {file}: {length} bytes");
        }

        return exit;
    }

    internal static async Task<int> RunPutAsync(
        Settings settings, string file, TextWriter error, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            error.WriteLine($"error: {file}: no such file");
            return 1;
        }

        await using var source = File.OpenRead(file);
        var exit = await GuardAsync(settings, error, client => client.StoreAsync(settings.Url.Path, source, progress, ct), ct);
        (progress as ProgressLine)?.Finish();
        if (exit == 0)
        {
            error.WriteLine($"uploaded {source.Length} bytes to {settings.Url}");
        }

        return exit;
    }

    /// <summary>Connects, runs one operation, and turns every expected failure into one "error:" line and exit code 1.</summary>
    private static async Task<int> GuardAsync(Settings settings, TextWriter error, Func<FtpClient, Task> operation, CancellationToken ct)
    {
        var url = settings.Url;
        try
        {
            var trace = settings.Verbose ? new Action<string>(error.WriteLine) : null;
            await using var client = await FtpClient.ConnectAsync(url, TimeSpan.FromSeconds(settings.TimeoutSeconds), trace, ct);
            await operation(client);
            return 0;
        }
        catch (FtpException e)
        {
            error.WriteLine($"error: {url.Host}:{url.Port}: {e.Message}");
        }
        catch (SocketException e)
        {
            error.WriteLine(e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"error: connection refused by {url.Host}:{url.Port}: no FTP server there",
                SocketError.HostNotFound or SocketError.NoData => $"error: cannot resolve host '{url.Host}'",
                _ => $"error: {url.Host}:{url.Port}: {e.SocketErrorCode}",
            });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error.WriteLine($"error: {url.Host}:{url.Port}: no progress within {settings.TimeoutSeconds} s (timeout)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
        }

        return 1;
    }

    private static Task<int> WithUrl(string text, double timeout, bool verbose, Func<Settings, Task<int>> run)
    {
        if (!FtpUrl.TryParse(text, out var url, out var problem))
        {
            Console.Error.WriteLine($"error: {problem}");
            return Task.FromResult(1);
        }

        return run(new Settings { Url = url!, TimeoutSeconds = timeout, Verbose = verbose });
    }

    private static ProgressLine? Progress() => Console.IsErrorRedirected ? null : new ProgressLine(Console.Error);
}
