using System.CommandLine;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit http get`: fetch a URL, as curl does, with HttpClient; headers shown as the server sent them.</summary>
internal static class HttpCommand
{
    internal sealed record Settings
    {
        public required Uri Url { get; init; }
        public string? OutputFile { get; init; }
        public bool IncludeHeaders { get; init; }
        public bool HeadOnly { get; init; }
        public bool Json { get; init; }
        public bool Quiet { get; init; }
        public double TimeoutSeconds { get; init; } = 30;
        public int MaxRedirects { get; init; } = 10;
    }

    /// <summary>The --json document (docs/json.md).</summary>
    internal sealed record Result(
        string Url, string FinalUrl, string Version, int Status, string? Reason, IReadOnlyList<Header> Headers,
        long BodyBytes, string? SavedTo, Timings Timings);

    internal sealed record Header(string Name, string Value);

    internal sealed record Timings(double HeadersMs, double TotalMs);

    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "http:// or https:// URL to fetch." };
        var outputFile = new Option<string?>("--output", "-o")
        {
            Description = "Save the body to this file (with a progress line) instead of printing it.",
            HelpName = "file",
        };
        var include = new Option<bool>("--include", "-i")
        {
            Description = "Print the status line and response headers before the body, byte for byte as the server sent them.",
        };
        var head = new Option<bool>("--head") { Description = "Send HEAD: only the status line and headers, no body." };
        var redirects = new Option<int>("--max-redirects")
        {
            Description = "Redirects to follow before giving up (0: report the redirect itself).",
            DefaultValueFactory = _ => 10,
            HelpName = "count",
        };
        var timeout = CommonOptions.Timeout(30);
        timeout.Description = "Give up when the whole request, redirects and body included, has taken this many seconds " +
                              "(0: no limit; raise it, or use 0, for a large download on a slow link).";
        var json = CommonOptions.Json();
        json.Description = "Print the status, headers as received, body size and timings as JSON (docs/json.md); " +
                           "the body is counted, not printed, unless -o saves it.";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "No progress line and no 'saved ...' line: only the body (or headers) and errors.";
        var get = new Command("get",
            "GET a URL, following redirects. A status other than 2xx is an error (exit code 1), so scripts can rely on it.")
        {
            url, outputFile, include, head, redirects, timeout, json, quiet,
        };
        get.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw CommandFailure.Usage($"'{parse.GetValue(url)}' is not an http:// or https:// URL");
            }

            var settings = new Settings
            {
                Url = uri,
                OutputFile = parse.GetValue(outputFile),
                IncludeHeaders = parse.GetValue(include),
                HeadOnly = parse.GetValue(head),
                Json = parse.GetValue(json),
                Quiet = parse.GetValue(quiet),
                MaxRedirects = parse.GetValue(redirects),
                TimeoutSeconds = parse.GetValue(timeout),
            };
            var progress = settings.OutputFile is not null && !settings.Quiet && !Console.IsErrorRedirected ? new ProgressLine(Console.Error) : null;
            await using var stdout = Console.OpenStandardOutput();
            return await RunAsync(settings, Console.Out, stdout, Console.Error, progress, ct);
        });

        var command = new Command("http", "HTTP client: fetch a URL and show status, headers and body, or save it to a file.");
        command.Subcommands.Add(get);
        return command;
    }

    /// <summary>Fetches and prints; every failure is a <see cref="CommandFailure"/> (one line, or the JSON error object).</summary>
    internal static async Task<int> RunAsync(
        Settings settings, TextWriter output, Stream body, TextWriter error, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var deadline = settings.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(settings.TimeoutSeconds) : Timeout.InfiniteTimeSpan;
        limit.CancelAfter(deadline);
        using var client = new HttpFetchClient(settings.MaxRedirects, deadline);
        FileStream? file = null;
        try
        {
            var result = await client.FetchAsync(settings.Url, settings.HeadOnly, response =>
            {
                if (!settings.Json && settings.IncludeHeaders)
                {
                    PrintHead(output, response);
                }

                if (!response.IsSuccess)
                {
                    return null;
                }

                if (settings.OutputFile is null)
                {
                    // Under --json stdout is the document: the body is counted, not printed.
                    return settings.Json ? Stream.Null : body;
                }

                file = new FileStream(settings.OutputFile, FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
                return file;
            }, progress, limit.Token);
            (progress as ProgressLine)?.Finish();

            if (!result.IsSuccess)
            {
                throw new CommandFailure($"{result.FinalUri}: {(int)result.Status} {result.Reason}");
            }

            if (settings.Json)
            {
                output.WriteLine(CliJson.Serialize(ToJson(settings, result)));
            }
            else if (settings.HeadOnly)
            {
                PrintHead(output, result);
            }

            if (settings.OutputFile is not null && !settings.Quiet)
            {
                error.WriteLine($"saved {TransferProgress.Format(result.BodyBytes)} ({result.BodyBytes} bytes) to {settings.OutputFile}");
            }

            return ExitCodes.Success;
        }
        catch (HttpRequestException e)
        {
            (progress as ProgressLine)?.Finish();
            throw new CommandFailure(HttpFetch.Describe(e, settings.Url));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CommandFailure($"{settings.Url}: no complete response within {settings.TimeoutSeconds} s (--timeout)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailure($"writing {settings.OutputFile}: {e.Message}");
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }

    private static Result ToJson(Settings settings, HttpFetchResult result) => new(
        settings.Url.ToString(), result.FinalUri.ToString(), result.Version.ToString(), (int)result.Status, result.Reason,
        result.Headers.Select(h => new Header(h.Key, h.Value)).ToList(),
        result.BodyBytes, settings.OutputFile,
        new Timings(Math.Round(result.HeadersAfter.TotalMilliseconds, 1), Math.Round(result.Elapsed.TotalMilliseconds, 1)));

    /// <summary>The head as received (over HTTP/2, which has none, the parsed headers); then the blank line that ends it.</summary>
    private static void PrintHead(TextWriter output, HttpFetchResult response)
    {
        if (response.Head is { } head)
        {
            foreach (var line in head.Lines)
            {
                output.WriteLine(line);
            }
        }
        else
        {
            output.WriteLine(response.StatusLine);
            foreach (var (name, value) in response.Headers)
            {
                output.WriteLine($"{name}: {value}");
            }
        }

        output.WriteLine();
        output.Flush();
    }
}
