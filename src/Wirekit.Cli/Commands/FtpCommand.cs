using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;
using Wirekit.Diagnostics.Ftp;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit ftp list|get|put`: a small RFC 959 client of Wirekit's own (passive mode, binary, REST resume).</summary>
internal static class FtpCommand
{
    internal sealed record Settings
    {
        public required FtpUrl Url { get; init; }
        /// <summary>Silence limit: connecting, each reply, and a stalled transfer.</summary>
        public double TimeoutSeconds { get; init; } = 30;
        public bool Verbose { get; init; }
        public bool Json { get; init; }
        public bool Quiet { get; init; }
    }

    /// <summary>One line of a listing under --json (docs/json.md).</summary>
    internal sealed record ListEntry(string Name, string Line);

    /// <summary>What `ftp get` or `ftp put` did, under --json.</summary>
    internal sealed record TransferResult(string Url, string File, long Bytes, long? ResumedAt, long NewBytes);

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

    /// <summary>The options every verb shares: the silence limit, --verbose's protocol trace, --json, --quiet.</summary>
    private sealed record Shared(Option<double> Timeout, Option<bool> Verbose, Option<bool> Json, Option<bool> Quiet)
    {
        public static Shared Create(string jsonWhat)
        {
            var timeout = CommonOptions.IdleTimeout();
            timeout.Description = "Give up when the server has sent nothing for this many seconds: no connection, no reply, " +
                                  "or a transfer that stalled (one that keeps moving never times out).";
            var verbose = CommonOptions.Verbose();
            verbose.Description = "Show the FTP commands and replies on standard error (the password is masked).";
            var json = CommonOptions.Json();
            json.Description = $"Print {jsonWhat} as JSON (docs/json.md); failures print {{\"error\": {{...}}}}.";
            var quiet = CommonOptions.Quiet();
            quiet.Description = "No progress line and no closing summary: only results and errors.";
            return new Shared(timeout, verbose, json, quiet);
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Timeout);
            command.Options.Add(Verbose);
            command.Options.Add(Json);
            command.Options.Add(Quiet);
        }

        public Settings Read(ParseResult parse, string url) => new()
        {
            Url = FtpUrl.TryParse(url, out var parsed, out var problem) ? parsed! : throw CommandFailure.Usage(problem!),
            TimeoutSeconds = parse.GetValue(Timeout),
            Verbose = parse.GetValue(Verbose),
            Json = parse.GetValue(Json),
            Quiet = parse.GetValue(Quiet),
        };
    }

    private static Command CreateList()
    {
        var url = UrlArgument("directory");
        var shared = Shared.Create("each line of the server's LIST output and the name it ends with");
        var list = new Command("list", "List a remote directory (the server's LIST output, as `ls -l` prints it).") { url };
        shared.AddTo(list);
        list.SetAction((parse, ct) => RunListAsync(shared.Read(parse, parse.GetValue(url)!), Console.Out, Console.Error, ct));
        return list;
    }

    private static Command CreateGet()
    {
        var url = UrlArgument("file");
        var output = new Option<string?>("--output", "-o") { Description = "Local file to write (default: the remote file's name).", HelpName = "file" };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue a partial download: keep the bytes already in the local file and ask the server " +
                          "to start after them (REST).",
        };
        var shared = Shared.Create("the file, its size and where the download resumed");
        var get = new Command("get", "Download a file in binary mode, with a progress line.") { url, output, resume };
        shared.AddTo(get);
        get.SetAction((parse, ct) =>
        {
            var settings = shared.Read(parse, parse.GetValue(url)!);
            var file = parse.GetValue(output) ?? settings.Url.FileName;
            return RunGetAsync(settings, file, parse.GetValue(resume), Console.Out, Console.Error, Progress(settings), ct);
        });
        return get;
    }

    private static Command CreatePut()
    {
        var url = UrlArgument("file to create on the server");
        var file = new Argument<string>("file") { Description = "Local file to upload." };
        var shared = Shared.Create("the file and its size");
        var put = new Command("put", "Upload a local file in binary mode (STOR), with a progress line.") { url, file };
        shared.AddTo(put);
        put.SetAction((parse, ct) =>
        {
            var settings = shared.Read(parse, parse.GetValue(url)!);
            return RunPutAsync(settings, parse.GetValue(file)!, Console.Out, Console.Error, Progress(settings), ct);
        });
        return put;
    }

    internal static async Task<int> RunListAsync(Settings settings, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var listing = new MemoryStream();
        await GuardAsync(settings, error, async client => await client.ListAsync(settings.Url.Path, listing, ct), ct);

        var lines = Encoding.UTF8.GetString(listing.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r')).ToList();
        if (settings.Json)
        {
            // Unix-style LIST lines end with the name after eight fields; anything else is kept whole.
            output.WriteLine(CliJson.Serialize(lines.Select(line => new ListEntry(
                line.Split(' ', 9, StringSplitOptions.RemoveEmptyEntries) is { Length: 9 } fields ? fields[8] : line, line)).ToList()));
        }
        else
        {
            lines.ForEach(output.WriteLine);
        }

        return ExitCodes.Success;
    }

    internal static async Task<int> RunGetAsync(
        Settings settings, string file, bool resume, TextWriter output, TextWriter error, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        if (file.Length == 0)
        {
            throw CommandFailure.Usage("the URL names no file; give one, or -o FILE");
        }

        var existed = File.Exists(file);
        var offset = resume && existed ? new FileInfo(file).Length : 0;
        long? total = null;
        try
        {
            await GuardAsync(settings, error, async client =>
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
        }
        catch (CommandFailure)
        {
            (progress as ProgressLine)?.Finish();
            if (!existed && File.Exists(file) && new FileInfo(file).Length == 0)
            {
                // Nothing arrived (e.g. 550 no such file): leave no empty file behind. A partial one is kept for --resume.
                File.Delete(file);
            }

            throw;
        }

        (progress as ProgressLine)?.Finish();
        var length = new FileInfo(file).Length;
        if (settings.Json)
        {
            output.WriteLine(CliJson.Serialize(new TransferResult(settings.Url.ToString(), file, length, offset > 0 ? offset : null, length - offset)));
        }
        else if (!settings.Quiet)
        {
            error.WriteLine(offset > 0
                ? $"saved {file}: {length} bytes ({length - offset} new, resumed at {offset})"
                : $"saved {file}: {length} bytes");
        }

        return ExitCodes.Success;
    }

    internal static async Task<int> RunPutAsync(
        Settings settings, string file, TextWriter output, TextWriter error, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            throw new CommandFailure($"{file}: no such file");
        }

        await using var source = File.OpenRead(file);
        try
        {
            await GuardAsync(settings, error, client => client.StoreAsync(settings.Url.Path, source, progress, ct), ct);
        }
        finally
        {
            (progress as ProgressLine)?.Finish();
        }

        if (settings.Json)
        {
            output.WriteLine(CliJson.Serialize(new TransferResult(settings.Url.ToString(), file, source.Length, null, source.Length)));
        }
        else if (!settings.Quiet)
        {
            error.WriteLine($"uploaded {source.Length} bytes to {settings.Url}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Connects and runs one operation; every expected failure becomes one <see cref="CommandFailure"/> line.</summary>
    private static async Task GuardAsync(Settings settings, TextWriter error, Func<FtpClient, Task> operation, CancellationToken ct)
    {
        var url = settings.Url;
        try
        {
            var trace = settings.Verbose ? new Action<string>(error.WriteLine) : null;
            await using var client = await FtpClient.ConnectAsync(url, TimeSpan.FromSeconds(settings.TimeoutSeconds), trace, ct);
            await operation(client);
        }
        catch (FtpException e)
        {
            throw new CommandFailure($"{url.Host}:{url.Port}: {e.Message}");
        }
        catch (SocketException e)
        {
            throw new CommandFailure(e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"connection refused by {url.Host}:{url.Port}: no FTP server there",
                SocketError.HostNotFound or SocketError.NoData => $"cannot resolve host '{url.Host}'",
                _ => $"{url.Host}:{url.Port}: {e.SocketErrorCode}",
            });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CommandFailure($"{url.Host}:{url.Port}: nothing from the server for {settings.TimeoutSeconds} s (--idle-timeout)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailure(e.Message);
        }
    }

    private static ProgressLine? Progress(Settings settings)
        => settings.Quiet || settings.Json || Console.IsErrorRedirected ? null : new ProgressLine(Console.Error);
}
