using System.CommandLine;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit http get`: fetch a URL like the seed's update-server client (WinINet), with HttpClient.</summary>
internal static class HttpCommand
{
    internal sealed record Settings
    {
        public required Uri Url { get; init; }
        public string? OutputFile { get; init; }
        public bool IncludeHeaders { get; init; }
        public bool HeadOnly { get; init; }
        public double TimeoutSeconds { get; init; } = 30;
        public int MaxRedirects { get; init; } = 10;
    }

    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "http:// or https:// URL to fetch." };
        var outputFile = new Option<string?>("--output", "-o")
        {
            Description = "Save the body to this file (with a progress line) instead of printing it.",
        };
        var include = new Option<bool>("--include", "-i") { Description = "Print the status line and response headers before the body." };
        var head = new Option<bool>("--head") { Description = "Send HEAD: only the status line and headers, no body." };
        var redirects = new Option<int>("--max-redirects")
        {
            Description = "Redirects to follow before giving up (0: report the redirect itself).",
            DefaultValueFactory = _ => 10,
        };
        var timeout = CommonOptions.Timeout(30);
        var get = new Command("get",
            "GET a URL, following redirects. A status other than 2xx is an error (exit code 1), so scripts can rely on it.")
        {
            url, outputFile, include, head, redirects, timeout,
        };
        get.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                Console.Error.WriteLine($"error: '{parse.GetValue(url)}' is not an http:// or https:// URL");
                return 1;
            }

            var settings = new Settings
            {
                Url = uri,
                OutputFile = parse.GetValue(outputFile),
                IncludeHeaders = parse.GetValue(include),
                HeadOnly = parse.GetValue(head),
                MaxRedirects = parse.GetValue(redirects),
                TimeoutSeconds = parse.GetValue(timeout),
            };
            var progress = settings.OutputFile is not null && !Console.IsErrorRedirected ? new ProgressLine(Console.Error) : null;
            await using var stdout = Console.OpenStandardOutput();
            return await RunAsync(settings, Console.Out, stdout, Console.Error, progress, ct);
        });

        var command = new Command("http", "HTTP client: fetch a URL and show status, headers and body, or save it to a file.");
        command.Subcommands.Add(get);
        return command;
    }

    internal static async Task<int> RunAsync(
        Settings settings, TextWriter output, Stream body, TextWriter error, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        using var client = HttpFetch.CreateClient(settings.MaxRedirects, TimeSpan.FromSeconds(settings.TimeoutSeconds));
        FileStream? file = null;
        try
        {
            var result = await HttpFetch.FetchAsync(client, settings.Url, settings.HeadOnly, response =>
            {
                PrintHead(output, settings, response);
                if (!response.IsSuccess)
                {
                    return null;
                }

                if (settings.OutputFile is null)
                {
                    return body;
                }

                file = new FileStream(settings.OutputFile, FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
                return file;
            }, progress, limit.Token);
            (progress as ProgressLine)?.Finish();

            if (settings.HeadOnly)
            {
                PrintHead(output, settings with { IncludeHeaders = true }, result);
            }

            if (!result.IsSuccess)
            {
                error.WriteLine($"error: {result.FinalUri}: {(int)result.Status} {result.Reason}");
                return 1;
            }

            if (settings.OutputFile is not null)
            {
                error.WriteLine($"saved {TransferProgress.Format(result.BodyBytes)} ({result.BodyBytes} bytes) to {settings.OutputFile}");
            }

            return 0;
        }
        catch (HttpRequestException e)
        {
            (progress as ProgressLine)?.Finish();
            error.WriteLine($"error: {HttpFetch.Describe(e, settings.Url)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error.WriteLine($"error: {settings.Url}: no complete response within {settings.TimeoutSeconds} s (timeout)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: writing {settings.OutputFile}: {e.Message}");
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }

        return 1;
    }

    private static void PrintHead(TextWriter output, Settings settings, HttpFetchResult response)
    {
        if (!settings.IncludeHeaders)
        {
            return;
        }

        output.WriteLine(response.StatusLine);
        foreach (var (name, value) in response.Headers)
        {
            output.WriteLine($"{name}: {value}");
        }

        output.WriteLine();
        output.Flush();
    }
}
