using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Chat;
using Wirekit.Echo;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Engines;

/// <summary>
/// Every server on every engine that carries it, run as the CLI under an open-file limit smaller than the connections
/// thrown at it: the process stays up, refuses the excess politely, serves a real client once the flood has gone,
/// stops cleanly, and its log stays short. Before descriptor admission, threads and the file server died at once
/// (SIGABRT, "Out of memory."), async died when the connections closed, select exited on EINVAL from poll, and the
/// select echo server wrote thousands of "accept failed" lines a second.
/// </summary>
public sealed class DescriptorLimitTests
{
    private const int OpenFileLimit = 400;
    private const int Connections = OpenFileLimit + 150;
    private const int MaxLogLines = 40;

    public static TheoryData<string, EngineKind> ServersAndEngines()
    {
        var data = new TheoryData<string, EngineKind>();
        var files = new FileServerOptions { Root = Path.GetTempPath() };
        foreach (var (server, requires) in new[] { ("echo", RequirementsOf(new EchoService())), ("chat", RequirementsOf(new ChatService())), ("file", RequirementsOf(new FileTransferHandler(files))) })
        {
            foreach (var engine in EngineCapabilities.EnginesFor(requires))
            {
                data.Add(server, engine);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ServersAndEngines))]
    public async Task Stays_up_refuses_the_excess_and_serves_a_real_client_afterwards(string server, EngineKind engine)
    {
        var prlimit = ExternalServer.Find("prlimit");
        Skip.If(prlimit is null, "prlimit (util-linux) is not installed");
        var root = Directory.CreateTempSubdirectory("wirekit-fd-root-").FullName;
        File.WriteAllText(Path.Join(root, "a.txt"), "hello");
        string[] arguments = server == "file"
            ? ["file", "serve", "--root", root, "--engine", engine.ToString().ToLowerInvariant(), "--port", "0"]
            : [server, "serve", "--engine", engine.ToString().ToLowerInvariant(), "--port", "0"];
        using var cli = CliProcess.StartCommand([prlimit!, $"--nofile={OpenFileLimit}:{OpenFileLimit}", "--", .. CliProcess.Command(arguments)]);
        var endPoint = new IPEndPoint(IPAddress.Loopback, await cli.WaitForListeningPortAsync(server));

        var flood = new List<Socket>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                await socket.ConnectAsync(endPoint).WaitAsync(Deadline.Default);
            }

            if (engine != EngineKind.Iterative)
            {
                // More connections than descriptors: at least the excess must have been refused (closed by the server).
                await Deadline.UntilAsync(() => flood.Count(ClosedByServer) >= Connections - OpenFileLimit, "the excess to be refused");
            }

            Assert.False(cli.HasExited, $"the server died under the flood:\n{cli.Output}");
        }
        finally
        {
            foreach (var socket in flood)
            {
                socket.Dispose();
            }
        }

        // The flood's sockets are closed, but the server notices each close in its own time: until it has, a new
        // connection may still find it full and be refused. Retry the real client within the deadline.
        await RetryUntilServedAsync(() => ServeRealClientAsync(server, endPoint));
        Assert.False(cli.HasExited, $"the server died after the flood:\n{cli.Output}");
        cli.SendSignal(15);
        Assert.Equal(0, await cli.WaitForExitAsync(Deadline.Default));
        var lines = cli.Output.Split('\n');
        Assert.True(lines.Length <= MaxLogLines, $"{lines.Length} lines of output:\n{cli.Output}");
        Directory.Delete(root, recursive: true);
    }

    private static EngineFeatures RequirementsOf(IServerService service)
    {
        var requires = service.Requires;
        (service as IAsyncDisposable)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (service as IDisposable)?.Dispose();
        return requires;
    }

    /// <summary>The server closed this connection: readable with nothing to read (FIN), after any refusal notice, or reset.</summary>
    private static bool ClosedByServer(Socket socket)
    {
        try
        {
            var buffer = new byte[256];
            while (socket.Poll(0, SelectMode.SelectRead))
            {
                if (socket.Receive(buffer) == 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task RetryUntilServedAsync(Func<Task> attempt)
    {
        var deadline = DateTime.UtcNow + Deadline.Default;
        while (true)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception e) when (e is EndOfStreamException or SocketException or IOException or FileTransferException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task ServeRealClientAsync(string server, IPEndPoint endPoint)
    {
        switch (server)
        {
            case "echo":
                using (var client = await TestClient.ConnectAsync(endPoint))
                {
                    Assert.Equal("still here"u8.ToArray(), await client.EchoAsync("still here"u8.ToArray()));
                }

                break;
            case "chat":
                using (var client = await TestClient.ConnectAsync(endPoint))
                {
                    await client.SendAsync("/who\n"u8.ToArray());
                    var seen = new StringBuilder();
                    while (!seen.ToString().Contains("online", StringComparison.Ordinal))
                    {
                        seen.Append(Encoding.UTF8.GetString(await client.ReceiveExactlyAsync(1)));
                    }
                }

                break;
            default:
                var files = await new FileTransferClient(new FileClientOptions { Host = "127.0.0.1", Port = endPoint.Port, Timeout = Deadline.Default })
                    .ListAsync().WaitAsync(Deadline.Default);
                Assert.Equal("a.txt", Assert.Single(files).Name);
                break;
        }
    }
}
