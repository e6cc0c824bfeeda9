using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Cli.Invocation;
using Wirekit.Proxy;

namespace Wirekit.Cli.Commands;

/// <summary>Where `proxy` writes: the banner and control replies, the exit totals, and whether to be brief.</summary>
internal sealed record ProxyConsole(TextWriter Output, TextWriter Errors, bool Json, bool Quiet)
{
    /// <summary>Control replies: stdout, unless stdout is kept for the JSON document.</summary>
    public TextWriter Replies => Json ? Errors : Output;
}

/// <summary>`proxy --json`: the totals on exit (docs/json.md).</summary>
internal sealed record ProxyStatsJson(string Listen, string Target, long Accepted, long Refused, long BytesUp, long BytesDown, long Corrupted, IReadOnlyDictionary<ProxyEnd, long> Ends);

internal static partial class ProxyCommand
{
    /// <summary>Runs the proxy until Ctrl+C / SIGTERM, taking control commands from <paramref name="commands"/> (stdin) meanwhile.</summary>
    internal static async Task<int> RunAsync(ProxyOptions options, ProxyConsole console, TextReader commands, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        FaultProxy proxy;
        try
        {
            proxy = FaultProxy.Start(options, loggers);
        }
        catch (SocketException e)
        {
            throw new CommandFailure($"cannot listen on {options.Listen}: {e.Message}{(e.SocketErrorCode == SocketError.AddressAlreadyInUse ? " (pick another with --listen)" : string.Empty)}");
        }

        var target = new ServerAddress(options.TargetHost, options.TargetPort).ToString();
        await using (proxy)
        {
            if (!console.Quiet && !console.Json)
            {
                await console.Output.WriteLineAsync($"proxy listening on {proxy.LocalEndPoint}, forwarding to {target}; {Shown(proxy)} (type help for commands)");
                await console.Output.FlushAsync(cancellationToken);
            }

            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var control = ReadCommandsAsync(proxy, commands, console.Replies, stopped.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stopping is how a proxy ends.
            }

            await stopped.CancelAsync();
            await proxy.StopAsync();
            await control;
        }

        var stats = proxy.Stats;
        if (console.Json)
        {
            await console.Output.WriteLineAsync(CliJson.Serialize(new ProxyStatsJson(proxy.LocalEndPoint.ToString(), target, stats.Accepted, stats.Refused, stats.BytesUp, stats.BytesDown, stats.Corrupted, stats.Ends)));
        }
        else if (!console.Quiet)
        {
            await console.Output.WriteLineAsync($"proxy stopped: {stats.Accepted} connections ({stats.Refused} refused), up {stats.BytesUp} B, down {stats.BytesDown} B");
        }

        return ExitCodes.Success;
    }

    private static string Shown(FaultProxy proxy)
    {
        string Side(ProxyDirection direction) => proxy.FaultsOf(direction).Describe() is { Count: > 0 } on ? string.Join(", ", on) : "none";
        return $"faults up: {Side(ProxyDirection.Up)}; down: {Side(ProxyDirection.Down)}";
    }

    /// <summary>
    /// One command per line, one reply per line. Console.In reads synchronously and ignores its token, so the read runs
    /// on the pool and is abandoned at exit rather than awaited; end of input just ends the commands, not the proxy.
    /// </summary>
    private static async Task ReadCommandsAsync(FaultProxy proxy, TextReader commands, TextWriter replies, CancellationToken cancellationToken)
    {
        try
        {
            while (await Task.Run(() => commands.ReadLine(), CancellationToken.None).WaitAsync(cancellationToken) is { } line)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                await replies.WriteLineAsync(proxy.Execute(line));
                await replies.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The proxy is stopping.
        }
    }
}
