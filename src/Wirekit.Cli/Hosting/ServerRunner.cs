using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Cli.Invocation;
using Wirekit.Engines;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// A server a command wants running: its name, the options it starts with, how to start it, how a user would reach
/// it, and the option that sets its port (named when that port is taken).
/// </summary>
internal sealed record ServerLaunch(string Name, ServerOptions Options, Func<ServerOptions, IServer> Start, Func<IPEndPoint, string> ReachHint)
{
    public string PortOption { get; init; } = "--port";

    /// <summary>`nc 127.0.0.1 25000`: how to reach a line-based server (echo, chat) with a tool everyone has.</summary>
    public static string NetcatHint(IPEndPoint endPoint) => $"nc {endPoint.Address} {endPoint.Port}";
}

/// <summary>How a server command talks to its user: where lines go, whether to say anything, whether to announce.</summary>
internal sealed record ServerConsole(TextWriter Output, TextWriter Errors, ILoggerFactory Loggers)
{
    /// <summary>--quiet: warnings and errors only, no "listening on" lines.</summary>
    public bool Quiet { get; init; }

    /// <summary>--announce: broadcast each server for `wirekit discover`.</summary>
    public bool Announce { get; init; }

    /// <summary>--metrics: where the scrape endpoint and status page listen; null for none.</summary>
    public IPEndPoint? Metrics { get; init; }
}

/// <summary>
/// Starts servers, says where each listens, waits for Ctrl+C / SIGTERM (the command's cancellation token),
/// then stops them all: stop accepting, close every session, exit 0.
/// </summary>
internal static class ServerRunner
{
    public static async Task<int> RunAsync(IReadOnlyList<ServerLaunch> launches, ServerConsole console, CancellationToken cancellationToken)
    {
        // Refused before anything listens: a usage problem, not a failure half-way.
        if (console.Announce && launches.Select(launch => ServerAnnouncement.WhyNot(launch.Options.BindAddress)).FirstOrDefault(why => why is not null) is { } why)
        {
            throw CommandFailure.Usage(why);
        }

        var running = new List<IServer>();
        var announcers = new List<IAsyncDisposable>();
        // Listening before the servers start, so their first connection is counted.
        await using var metrics = console.Metrics is { } address ? await StartMetricsAsync(address, console) : null;
        try
        {
            foreach (var launch in launches)
            {
                var server = Start(launch);
                running.Add(server);
                if (console.Announce && ServerAnnouncement.Start(launch.Name, server.LocalEndPoint, console.Loggers.CreateLogger("Wirekit.Discovery")) is { } announcer)
                {
                    announcers.Add(announcer);
                }

                if (!console.Quiet)
                {
                    var reach = ListenAddresses.ToTry(server.LocalEndPoint);
                    var tls = launch.Options.Tls;
                    var hint = TlsServerCommandOptions.ReachHint(launch, reach);
                    await console.Output.WriteLineAsync(
                        $"{launch.Name} server ({server.Engine.ToString().ToLowerInvariant()}) listening on {server.LocalEndPoint}  try: {hint}");
                    if (tls is not null)
                    {
                        await console.Output.WriteLineAsync(TlsServerCommandOptions.Banner(tls));
                    }
                }
            }

            // Once, however many servers share the bind.
            foreach (var warning in launches.Select(launch => launch.Options.BindAddress).Distinct().Select(ListenAddresses.Warning).OfType<string>())
            {
                await console.Errors.WriteLineAsync(warning);
            }

            if (!console.Quiet)
            {
                await console.Output.WriteLineAsync("Ctrl+C stops.");
            }

            await console.Output.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Success;
        }
        finally
        {
            foreach (var announcer in announcers)
            {
                await announcer.DisposeAsync();
            }

            await Task.WhenAll(running.Select(server => server.StopAsync()));
        }
    }

    private static async Task<MetricsEndpoint> StartMetricsAsync(IPEndPoint address, ServerConsole console)
    {
        MetricsEndpoint endpoint;
        try
        {
            endpoint = MetricsEndpoint.Start(address);
        }
        catch (SocketException e)
        {
            throw new CommandFailure(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"--metrics {address}: port {address.Port} is in use: pick another"
                : $"--metrics {address}: cannot listen there: {e.Message}");
        }

        if (!console.Quiet)
        {
            await console.Output.WriteLineAsync($"metrics on {endpoint.Url}metrics  status page: {endpoint.Url}");
        }

        return endpoint;
    }

    private static IServer Start(ServerLaunch launch)
    {
        try
        {
            return launch.Start(launch.Options);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new CommandFailure($"port {launch.Options.Port} is in use: pick another with {launch.PortOption}");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new CommandFailure($"{launch.Options.BindAddress} is not an address of this host: pick one it has with --bind (or 0.0.0.0 for all)");
        }
        catch (SocketException e)
        {
            throw new CommandFailure($"{launch.Name} server cannot listen on {new IPEndPoint(launch.Options.BindAddress, launch.Options.Port)}: {e.Message}");
        }
    }
}
