using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wirekit.Cli.Hosting;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit file`: the seed's file server and client, made fast, verified and resumable (docs/file-protocol.md).</summary>
internal static class FileCommand
{
    /// <summary>Exit code after Ctrl+C or SIGTERM (128 + SIGINT), as shells report it.</summary>
    private const int Interrupted = 130;

    public static Command Create()
    {
        var command = new Command("file",
            "Serve a folder and download from it over the seed's file protocol (classic AppProtocol.h commands plus " +
            "Wirekit's modern ones: 64-bit sizes, XXH128 verification, resume, parallel ranges). See docs/file-protocol.md.");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateGet());
        command.Subcommands.Add(FileSendCommand.Create());
        return command;
    }

    private static Command CreateServe()
    {
        var root = new Option<string>("--root")
        {
            Description = "Folder to serve. Only its top-level regular files are listed and served; nothing outside it, whatever the request or a link says.",
            Required = true,
        };
        var showHidden = new Option<bool>("--show-hidden") { Description = "List and serve files whose name starts with '.' (hidden by default: they are often secrets)." };
        var token = new Option<string?>("--token")
        {
            Description = "Require this token (CMD_AUTH) before the modern commands. Clear text: it keeps casual clients out, not eavesdroppers. " +
                $"Needs --no-classic (the classic commands cannot carry a token). {FileServerDefaults.TokenFreeGuesses} wrong tokens close the connection " +
                $"and make that address wait before its next try (1 s, doubling up to {FileServerDefaults.TokenLongestWait.TotalSeconds:0} s).",
        };
        var allowClassic = new Option<bool>("--allow-classic-without-token") { Description = "Accept --token without --no-classic: the classic list and get stay open to everyone." };
        var noClassic = new Option<bool>("--no-classic") { Description = "Refuse the seed's classic commands (index-based, 32-bit sizes, no hash, no token)." };
        var idle = new Option<double>("--idle-timeout") { Description = "Seconds a client may stay silent before the server closes it (the server is passive and waits for the client to close).", DefaultValueFactory = _ => 60 };
        var sendTimeout = new Option<double>("--send-timeout")
        {
            Description = "Seconds a reply may go without the client acknowledging a byte before the connection is reset: a client that asks for a file " +
                "and stops reading would otherwise hold a descriptor and megabytes of kernel memory. Slow readers that keep reading are never cut off. 0 turns it off.",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("serve",
            "Serve a folder to `wirekit file list|get` and to the seed's C client. The file service needs its own flow " +
            "per client (zero-copy sendfile), so it runs on the async and threads engines. A connection that receives " +
            $"{new FileServerOptions { Root = "." }.MaxErrorsPerConnection} error replies (bad, refused or unknown requests) is closed. Ctrl+C stops it.")
        {
            root, showHidden, token, allowClassic, noClassic, idle, sendTimeout,
        };
        var server = ServerCommandOptions.AddTo(command, DefaultPorts.File, FileTransferHandler.EngineRequirements);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            if (parse.GetValue(token) is not null && !parse.GetValue(noClassic))
            {
                if (!parse.GetValue(allowClassic))
                {
                    await Console.Error.WriteLineAsync(
                        "error: --token guards only the modern commands; the classic ones cannot carry a token and would stay open to everyone: add --no-classic (or --allow-classic-without-token to accept that)");
                    return 2;
                }

                await Console.Error.WriteLineAsync("warning: --token is set, but the classic list and get stay open to everyone (--allow-classic-without-token)");
            }

            var options = new FileServerOptions
            {
                Root = parse.GetValue(root)!,
                ShowHidden = parse.GetValue(showHidden),
                Token = parse.GetValue(token),
                NoClassic = parse.GetValue(noClassic),
                IdleTimeout = TimeSpan.FromSeconds(parse.GetValue(idle)),
                SendTimeout = TimeSpan.FromSeconds(parse.GetValue(sendTimeout)),
            };
            using var loggers = server.CreateLoggers(parse);
            return await ServeAsync(server.Console(parse, loggers), options, server.Read(parse), server.EngineOf(parse), ct);
        });
        return command;
    }

    internal static async Task<int> ServeAsync(
        ServerConsole console, FileServerOptions options, ServerOptions server, EngineKind engine, CancellationToken ct)
    {
        FileTransferHandler handler;
        try
        {
            handler = new FileTransferHandler(options, console.Loggers);
        }
        catch (DirectoryNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        using (handler)
        {
            return await ServerRunner.RunAsync(
                [new ServerLaunch("file", server, listen => ServerHost.Start(engine, listen, handler, console.Loggers), endPoint => $"wirekit file list {endPoint.Address} {endPoint.Port}   (serving {handler.Root})")],
                console,
                ct);
        }
    }

    private static Command CreateList()
    {
        var endpoint = new Argument<string[]>("host port") { Description = "Server host and port; default 127.0.0.1 25002.", Arity = new ArgumentArity(0, 2) };
        var classic = new Option<bool>("--classic") { Description = "Use the seed's CMD_GET_LIST (names and 32-bit sizes only) instead of the modern list." };
        var token = new Option<string?>("--token") { Description = "Token for a server started with --token." };
        var json = CommonOptions.Json();
        var timeout = CommonOptions.IdleTimeout(30);
        var command = new Command("list", "List the files a Wirekit file server offers: size, modification time and XXH128.") { endpoint, classic, token, json, timeout };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var tokens = parse.GetValue(endpoint) ?? [];
            if (!TryParseEndpoint(tokens, out var host, out var port))
            {
                await Console.Error.WriteLineAsync($"error: '{tokens[^1]}' is not a port number");
                return 2;
            }

            var options = new FileClientOptions
            {
                Host = host, Port = port, Classic = parse.GetValue(classic), Token = parse.GetValue(token),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            };
            return await ListAsync(Console.Out, Console.Error, options, parse.GetValue(json), ct);
        });
        return command;
    }

    internal static async Task<int> ListAsync(TextWriter output, TextWriter errors, FileClientOptions options, bool asJson, CancellationToken ct)
    {
        IReadOnlyList<FileEntry> entries;
        try
        {
            entries = await new FileTransferClient(options).ListAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await errors.WriteLineAsync("error: interrupted");
            return Interrupted;
        }
        catch (FileTransferException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        if (asJson)
        {
            var rows = entries.Select(e => new { e.Name, e.Size, Modified = options.Classic ? null : (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(e.LastWriteUnixMs), Xxh128 = options.Classic ? null : e.HashHex });
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        foreach (var e in entries)
        {
            var modified = options.Classic ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(e.LastWriteUnixMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"{e.Size,15:N0}  {modified,19}  {(options.Classic ? "-" : e.HashHex),32}  {e.Name}");
        }

        await output.WriteLineAsync($"{entries.Count} file(s)");
        return 0;
    }

    private static Command CreateGet()
    {
        var words = new Argument<string[]>("[host port] name")
        {
            Description = "Files to download, optionally preceded by HOST PORT (give both: `get example.org 25002 a.bin`). Default server 127.0.0.1 25002.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write into (created if missing).", DefaultValueFactory = _ => "." };
        var resume = new Option<bool>("--resume") { Description = "Continue NAME.part from its length instead of starting over; the whole file is still verified." };
        var parallel = new Option<int>("--parallel") { Description = "Fetch N ranges over N connections, each written at its offset. Helps when one connection cannot fill the path; the hash is then computed after assembly.", DefaultValueFactory = _ => 1 };
        var classic = new Option<bool>("--classic") { Description = "Use the seed's protocol (by index, < 4 GiB, no hash: only the length is checked)." };
        var token = new Option<string?>("--token") { Description = "Token for a server started with --token." };
        var queue = new Option<int>("--queue-mib") { Description = "MiB received but not yet on disk, at most. A slow disk then pauses the receiver (the TCP window closes) instead of memory growing.", DefaultValueFactory = _ => 32 };
        var discard = new Option<bool>("--discard") { Description = "Receive and verify the XXH128 but write nothing: the network path without the disk (compare with `curl -o /dev/null`)." };
        var json = CommonOptions.Json();
        var timeout = CommonOptions.IdleTimeout(30);
        var command = new Command("get", "Download files to NAME.part, verify the server's XXH128, then rename atomically to NAME. A mismatch leaves NAME untouched.")
        {
            words, output, resume, parallel, classic, token, queue, discard, json, timeout,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var tokens = parse.GetValue(words)!;
            var (host, port, names) = SplitGetArguments(tokens);
            if (names.Length == 0 || parse.GetValue(parallel) is < 1 or > FileTransferClient.MaxParallel || parse.GetValue(queue) < 1)
            {
                await Console.Error.WriteLineAsync($"error: give at least one file name; --parallel must be 1 to {FileTransferClient.MaxParallel} and --queue-mib 1 or more");
                return 2;
            }

            var options = new FileClientOptions
            {
                Host = host, Port = port, Classic = parse.GetValue(classic), Token = parse.GetValue(token), Resume = parse.GetValue(resume),
                Parallel = parse.GetValue(parallel), Discard = parse.GetValue(discard), QueueBytes = parse.GetValue(queue) * 1024L * 1024, Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            };
            var asJson = parse.GetValue(json);
            var display = asJson ? FileProgressDisplay.None : Console.IsOutputRedirected ? FileProgressDisplay.Plain : FileProgressDisplay.Interactive;
            return await GetAsync(Console.Out, Console.Error, options, names, parse.GetValue(output)!, asJson, display, ct);
        });
        return command;
    }

    /// <summary>Downloads each name in turn. Results go to <paramref name="output"/>, each failure as one `error:` line to <paramref name="errors"/>.</summary>
    internal static async Task<int> GetAsync(TextWriter output, TextWriter errors, FileClientOptions options, IReadOnlyList<string> names, string folder,
        bool asJson, FileProgressDisplay display, CancellationToken ct)
    {
        var results = new List<object>();
        var failures = 0;
        foreach (var name in names)
        {
            try
            {
                var result = await FileProgressView.RunAsync(output, display, name, (progress, starting) => new FileTransferClient(options).GetAsync(name, folder, progress, ct, starting));
                results.Add(new
                {
                    result.Name, result.Path, result.Size, result.Received, result.Resumed, result.Verified, Xxh128 = result.HashHex, Seconds = result.Elapsed.TotalSeconds,
                    MiBPerSecond = result.BytesPerSecond / (1024 * 1024), result.Connections, result.Note,
                });
                if (!asJson)
                {
                    await output.WriteLineAsync(Describe(result));
                }
            }
            catch (OperationCanceledException e) when (ct.IsCancellationRequested)
            {
                await errors.WriteLineAsync($"error: {(e.Message.StartsWith("interrupted", StringComparison.Ordinal) ? e.Message : "interrupted")}");
                return Interrupted;
            }
            catch (FileTransferException e)
            {
                failures++;
                results.Add(new { Name = name, Error = e.Message });
                await errors.WriteLineAsync($"error: {e.Message}");
            }
        }

        if (asJson)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }

        return failures == 0 ? 0 : 1;
    }

    private static string Describe(FileDownloadResult result)
    {
        var check = result.Verified ? "XXH128 verified" : "length checked only (classic: no hash)";
        var resumed = result.Resumed > 0 ? $", resumed: {result.Resumed:N0} bytes of {result.Path}.part kept" : string.Empty;
        var note = result.Note is null ? string.Empty : $"\nnote: {result.Note}";
        return $"{result.Name}: {result.Received:N0} bytes in {result.Elapsed.TotalSeconds:0.00} s ({result.BytesPerSecond / (1024 * 1024):0.0} MiB/s, " +
            $"{result.Connections} connection(s){resumed}), {check} {result.HashHex} -> {result.Path}{note}";
    }

    /// <summary>`[host port] name...`: the first two words are a server only when the second is a port number and names follow.</summary>
    internal static (string Host, int Port, string[] Names) SplitGetArguments(string[] words)
        => words.Length >= 3 && TryParsePort(words[1], out var port)
            ? (words[0], port, words[2..])
            : ("127.0.0.1", DefaultPorts.File, words);

    private static bool TryParseEndpoint(string[] words, out string host, out int port)
    {
        host = words.Length > 0 ? words[0] : "127.0.0.1";
        port = DefaultPorts.File;
        return words.Length < 2 || TryParsePort(words[1], out port);
    }

    private static bool TryParsePort(string text, out int port)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
}
