using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Cli.Commands;
using Wirekit.Engines;

namespace Wirekit.Cli.Hosting;

/// <summary>A server a command wants running: its name, how to start it, and how a user would reach it.</summary>
internal sealed record ServerLaunch(string Name, Func<IServer> Start, Func<IPEndPoint, string> ReachHint);

/// <summary>
/// Starts servers, says where each listens, waits for Ctrl+C / SIGTERM (the command's cancellation token),
/// then stops them all: stop accepting, close every session, exit 0.
/// </summary>
internal static class ServerRunner
{
    /// <param name="announceWith">When set (`--announce`), each server is announced on UDP broadcast for `wirekit discover`, logging through it.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<ServerLaunch> launches, TextWriter output, CancellationToken cancellationToken, ILoggerFactory? announceWith = null)
    {
        var running = new List<IServer>();
        var announcers = new List<IAsyncDisposable>();
        try
        {
            foreach (var launch in launches)
            {
                IServer server;
                try
                {
                    server = launch.Start();
                }
                catch (SocketException e)
                {
                    await Console.Error.WriteLineAsync($"error: {launch.Name} server cannot listen: {e.Message}" +
                        (e.SocketErrorCode == SocketError.AddressAlreadyInUse ? " (another process has the port; pick one with --port)" : string.Empty));
                    return 2;
                }

                running.Add(server);
                if (announceWith is not null
                    && DiscoverCommand.StartAnnouncer(launch.Name, server.LocalEndPoint.Port, announceWith.CreateLogger("Wirekit.Discovery")) is { } announcer)
                {
                    announcers.Add(announcer);
                }

                await output.WriteLineAsync($"{launch.Name} server ({server.Engine.ToString().ToLowerInvariant()}) listening on {server.LocalEndPoint}  try: {launch.ReachHint(server.LocalEndPoint)}");
            }

            await output.WriteLineAsync("Ctrl+C stops.");
            await output.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
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
}
