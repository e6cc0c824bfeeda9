using System.CommandLine;
using Wirekit.Cli.Invocation;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit file get [host[:port]] name...`: downloads verified by XXH128, resumable, with a progress line.</summary>
internal static partial class FileCommand
{
    private static Command CreateGet()
    {
        var words = new Argument<string[]>("files")
        {
            Description = "Files to download, after an optional server: HOST:PORT ([::1]:25002 for IPv6) or HOST PORT. An IP address or " +
                "localhost is recognised without a port; a host name needs one (example.org:25002), or it is taken for a file name. " +
                $"Default server {ServerAddress.DefaultHost}:{DefaultPorts.File}.",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "[host[:port]] name",
        };
        var output = new Option<string>("--output", "-o") { HelpName = "folder", Description = "Folder to write into; created once the server has sent something.", DefaultValueFactory = _ => "." };
        var resume = new Option<bool>("--resume") { Description = "Keep the bytes of an interrupted download (NAME.part) and fetch only the rest; the whole file is still verified." };
        var parallel = new Option<int>("--parallel")
        {
            HelpName = "n",
            Description = "Fetch the file as N ranges over N connections, each written at its offset. Helps when one connection cannot fill the path; " +
                "the hash is then computed after assembly.",
            DefaultValueFactory = _ => 1,
        };
        var classic = new Option<bool>("--classic")
        {
            Description = "Download with the classic commands (by index, below 4 GiB, no hash: only the length is checked), for servers that speak nothing else.",
        };
        var queue = new Option<int>("--queue-mib")
        {
            HelpName = "mib",
            Description = "MiB received but not yet on disk, at most. A slow disk then pauses the receiver (the TCP window closes) instead of memory growing.",
            DefaultValueFactory = _ => 32,
        };
        var discard = new Option<bool>("--discard") { Description = "Receive and verify the XXH128 but write nothing: measures the network path without the disk (as `curl -o /dev/null`)." };
        var token = Token();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var timeout = CommonOptions.IdleTimeout(30);
        var command = new Command("get",
            "Download files into NAME.part, verify the server's XXH128, then rename to NAME in one step: a failed or corrupt download never " +
            "leaves a complete-looking NAME.")
        {
            words, output, resume, parallel, classic, token, queue, discard, json, quiet, timeout,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var (host, port, names) = SplitGetArguments(parse.GetValue(words)!);
            if (parse.GetValue(parallel) is < 1 or > FileTransferClient.MaxParallel)
            {
                throw CommandFailure.Usage($"--parallel must be 1 to {FileTransferClient.MaxParallel}");
            }

            if (parse.GetValue(queue) < 1)
            {
                throw CommandFailure.Usage("--queue-mib must be 1 or more");
            }

            var options = new FileClientOptions
            {
                Host = host, Port = port, Classic = parse.GetValue(classic), Token = parse.GetValue(token), Resume = parse.GetValue(resume),
                Parallel = parse.GetValue(parallel), Discard = parse.GetValue(discard), QueueBytes = parse.GetValue(queue) * 1024L * 1024,
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)), Tls = tls.Read(parse),
            };
            var asJson = parse.GetValue(json);
            var display = asJson || parse.GetValue(quiet) ? FileProgressDisplay.None
                : Console.IsOutputRedirected ? FileProgressDisplay.Plain
                : FileProgressDisplay.Interactive;
            return await GetAsync(Console.Out, Console.Error, options, names, parse.GetValue(output)!, asJson, display, ct);
        });
        return command;
    }

    /// <summary>
    /// Downloads each name in turn and prints one result line each (or, with --json, one array). With one name a failure
    /// is a <see cref="CommandFailure"/>; with several, each failure is an `error:` line, the others still run, and the exit code is 1.
    /// </summary>
    internal static async Task<int> GetAsync(TextWriter output, TextWriter errors, FileClientOptions options, IReadOnlyList<string> names, string folder,
        bool asJson, FileProgressDisplay display, CancellationToken ct)
    {
        var results = new List<FileGetJson>();
        var failures = 0;
        foreach (var name in names)
        {
            try
            {
                var result = await FileProgressView.RunAsync(output, display, name, (progress, starting) => new FileTransferClient(options).GetAsync(name, folder, progress, ct, starting));
                results.Add(new FileGetJson(result.Name)
                {
                    Path = result.Path, Size = result.Size, Received = result.Received, Resumed = result.Resumed, Verified = result.Verified,
                    Xxh128 = result.HashHex, Seconds = result.Elapsed.TotalSeconds, MibPerSecond = result.BytesPerSecond / (1024 * 1024),
                    Connections = result.Connections, Note = result.Note,
                });
                if (!asJson)
                {
                    await output.WriteLineAsync(Describe(result));
                }
            }
            catch (OperationCanceledException e) when (ct.IsCancellationRequested)
            {
                // Say what Ctrl+C left behind: the bytes kept are worth a --resume.
                var kept = e.InnerException as FileTransferException;
                throw new CommandFailure(kept is null ? "interrupted" : $"interrupted; {WithRemedy(kept)}", ExitCodes.Interrupted);
            }
            catch (FileTransferException e) when (names.Count == 1)
            {
                throw new CommandFailure(WithRemedy(e));
            }
            catch (FileTransferException e)
            {
                failures++;
                results.Add(new FileGetJson(name) { Error = WithRemedy(e) });
                await errors.WriteLineAsync($"error: {WithRemedy(e)}");
            }
        }

        if (asJson)
        {
            await output.WriteLineAsync(CliJson.Serialize(results));
        }

        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The library states what happened; the command line's own flags are named here, the one place that knows them.</summary>
    private static string WithRemedy(FileTransferException e) => e.Remedy switch
    {
        _ when e.InnerException is Wirekit.Tls.ClientTlsException tls => TlsClientOptions.Describe(tls),
        FileTransferRemedy.Resume => $"{e.Message} (resume with --resume)",
        FileTransferRemedy.StartOver => $"{e.Message}: delete it, or run without --resume to start over",
        FileTransferRemedy.ChooseFolder => $"{e.Message} (-o names the folder to download into)",
        _ => e.Message,
    };

    private static string Describe(FileDownloadResult result)
    {
        var check = result.Verified
            ? $"XXH128 {result.HashHex} verified"
            : "length checked, not verified (the classic protocol carries no hash)";
        var resumed = result.Resumed > 0 ? $", resumed: {result.Resumed:N0} bytes were already in {result.Path}.part" : string.Empty;
        var note = result.Note is null ? string.Empty : $"\nnote: {result.Note}";
        return $"{result.Name}: {result.Received:N0} bytes in {result.Elapsed.TotalSeconds:0.00} s ({result.BytesPerSecond / (1024 * 1024):0.0} MiB/s, " +
            $"{result.Connections} connection(s){resumed}), {check} -> {result.Path}{note}";
    }

    /// <summary>
    /// `[host[:port]] name...`: the first word is the server when it reads as one (an IP literal, localhost, or with
    /// :PORT), or when a port number follows it and names follow that (`host port name...`). Anything else is a name.
    /// </summary>
    internal static (string Host, int Port, string[] Names) SplitGetArguments(string[] words)
    {
        var (server, names) = words.Length >= 3 && ServerAddress.TryParsePort(words[1], out _)
            ? (ServerAddress.Read(words[..2], DefaultPorts.File), words[2..])
            : words.Length >= 1 && ServerAddress.LooksLikeServer(words[0])
                ? (ServerAddress.Parse(words[0], DefaultPorts.File), words[1..])
                : (new ServerAddress(ServerAddress.DefaultHost, DefaultPorts.File), words);
        if (names.Length == 0)
        {
            throw CommandFailure.Usage($"give the name of a file to download from {server} (`wirekit file list {server}` shows them)");
        }

        return (server.Host, server.Port, names);
    }

    /// <summary>One file of `file get --json` (docs/json.md): the download's figures, or the error that stopped it.</summary>
    internal sealed record FileGetJson(string Name)
    {
        public string? Path { get; init; }

        public long? Size { get; init; }

        public long? Received { get; init; }

        public long? Resumed { get; init; }

        public bool? Verified { get; init; }

        public string? Xxh128 { get; init; }

        public double? Seconds { get; init; }

        public double? MibPerSecond { get; init; }

        public int? Connections { get; init; }

        public string? Note { get; init; }

        public string? Error { get; init; }
    }
}
