using System.Net;
using System.Net.Sockets;
using Wirekit.Cli.Hosting;
using Wirekit.Engines;
using Wirekit.Tests.Chat;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tests.Metrics;
using Wirekit.Tests.Transfer;
using Wirekit.Transfer;

namespace Wirekit.Tests.Access;

/// <summary>
/// Slowloris: 1,000 connections that never complete a line or a request header (half of them silent, half stopped
/// mid-way) must not delay a real client, and the handshake deadline must then close every one of them. On every
/// engine that serves many clients at once (subclasses at the end).
/// </summary>
public abstract class SlowlorisEngineTests(EngineKind engine)
{
    private const int Stalled = 1_000;

    /// <summary>
    /// Long enough that the 1,000 are still open while the real client works (the threads engine starts 1,000 threads
    /// for them first: over 4 s on this loaded 2-core machine, and 6 s was passed in a CI run sharing the machine with
    /// a soak), short enough for CI.
    /// </summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(12);

    protected EngineKind Engine { get; } = engine;

    /// <summary>The threads engine's default of 1,000 sessions would refuse the real client: room for the crowd and it.</summary>
    private static ServerOptions Options => new() { HandshakeTimeout = Timeout, MaxConnections = Stalled + 100 };

    [SkippableFact]
    public async Task A_chat_message_is_delivered_while_1000_stalled_connections_are_open_and_then_they_are_all_closed()
    {
        Skip.If(!EngineCapabilities.Carries(Engine, EngineFeatures.ConcurrentSessions), "the iterative engine serves one client at a time: any one connection delays the next by design");
        using var collector = new MetricsCollector();
        await using var server = ChatTestServer.Start(Engine, Options);
        var stalled = await OpenStalledAsync(server.LocalEndPoint, "/nick slow"u8.ToArray());
        try
        {
            await AdmittedAsync(collector, ServerLabels.Of(Engine, server.LocalEndPoint.Port, "chat"));

            using var alice = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "alice");
            using var bob = await ChatTestClient.JoinAsAsync(server.LocalEndPoint, "bob");
            await alice.SendLineAsync("through the crowd");
            await bob.SkipUntilAsync("<alice> through the crowd");
            Assert.True(server.ActiveSessions >= Stalled + 2, "the stalled connections were closed before the real clients were served: the test proves nothing");

            await ExpectAllClosedAsync(stalled, collector, ServerLabels.Of(Engine, server.LocalEndPoint.Port, "chat"));
            await Deadline.UntilAsync(() => server.ActiveSessions == 2, "only the two real members to remain");
        }
        finally
        {
            stalled.ForEach(socket => socket.Dispose());
        }
    }

    [SkippableFact]
    public async Task A_file_list_and_get_complete_while_1000_stalled_connections_are_open_and_then_they_are_all_closed()
    {
        Skip.If(!EngineCapabilities.Carries(Engine, FileTransferHandler.EngineRequirements), "the file server needs a flow of control per session");
        using var collector = new MetricsCollector();
        await using var files = FileServerScope.Start(server: Options, engine: Engine);
        var content = files.WriteRandomFile("data.bin", 256 * 1024);
        var stalled = await OpenStalledAsync(files.EndPoint, RawFileClient.Header(100, 0)[..4]);
        try
        {
            await AdmittedAsync(collector, ServerLabels.Of(Engine, files.EndPoint.Port, "file"));

            var client = new FileTransferClient(files.Client());
            Assert.Equal("data.bin", Assert.Single(await client.ListAsync().WaitAsync(Deadline.Default)).Name);
            var result = await client.GetAsync("data.bin", files.Downloads).WaitAsync(Deadline.Default);
            Assert.Equal(content, File.ReadAllBytes(result.Path));
            Assert.True(files.ActiveSessions >= Stalled, "the stalled connections were closed before the real client was served: the test proves nothing");

            await ExpectAllClosedAsync(stalled, collector, ServerLabels.Of(Engine, files.EndPoint.Port, "file"));
            await Deadline.UntilAsync(() => files.ActiveSessions == 0, "every session to end");
        }
        finally
        {
            stalled.ForEach(socket => socket.Dispose());
        }
    }

    /// <summary>Opens the crowd: even ones silent, odd ones having sent <paramref name="partial"/> (an unfinished line or header).</summary>
    private static async Task<List<Socket>> OpenStalledAsync(IPEndPoint server, byte[] partial)
    {
        var sockets = new List<Socket>(Stalled);
        try
        {
            for (var i = 0; i < Stalled; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(server).WaitAsync(Deadline.Default);
                if (i % 2 == 1)
                {
                    socket.Send(partial);
                }
            }

            return sockets;
        }
        catch
        {
            sockets.ForEach(socket => socket.Dispose());
            throw;
        }
    }

    private static Task AdmittedAsync(MetricsCollector collector, (string, string)[] server)
        => Deadline.UntilAsync(() => Scrape.Of(collector).Value("wirekit_connections_accepted_total", server) == Stalled, "the stalled connections to be admitted");

    /// <summary>
    /// Every one of <paramref name="sockets"/> sees the server end it (FIN or reset, past what it sent first: chat's
    /// welcome) within the deadline, and the server counts each as a handshake timeout.
    /// </summary>
    private static async Task ExpectAllClosedAsync(List<Socket> sockets, MetricsCollector collector, (string, string)[] server)
    {
        await Task.WhenAll(sockets.Select(SourceAddress.ReadToEndAsync));
        await Deadline.UntilAsync(
            () => Scrape.Of(collector).Value("wirekit_sessions_closed_total", [.. server, ("reason", "handshake_timeout")]) == Stalled,
            $"{Stalled} handshake-timeout closes counted");
    }

}

public sealed class IterativeSlowlorisEngineTests() : SlowlorisEngineTests(EngineKind.Iterative);

public sealed class ThreadsSlowlorisEngineTests() : SlowlorisEngineTests(EngineKind.Threads);

public sealed class SelectSlowlorisEngineTests() : SlowlorisEngineTests(EngineKind.Select);

public sealed class AsyncSlowlorisEngineTests() : SlowlorisEngineTests(EngineKind.Async);
