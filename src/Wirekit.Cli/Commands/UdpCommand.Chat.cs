using System.CommandLine;
using System.Net;
using System.Text;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    private static Command CreateChat()
    {
        var remote = new Option<string>("--remote")
        {
            Description = $"The other side, HOST[:PORT] ([::1]:{DefaultPort} for IPv6). It runs the same command with the two ports swapped.",
            Required = true,
            HelpName = "host[:port]",
        };
        var local = CommonOptions.ListenPort(DefaultPort, "The UDP port this side receives on: the port the other side names in its --remote.");
        local.Aliases.Add("--local");
        var bind = BindOption("127.0.0.1", "Address to receive on. 127.0.0.1 chats on this machine; 0.0.0.0 lets another host reach you.");
        var timeout = CommonOptions.Timeout();
        timeout.Description = "Give up resolving the --remote name after this many seconds.";
        var command = new Command("chat",
            "A two-way UDP chat with one peer: type a line and press Enter to send it as one datagram; what the peer " +
            "sends is printed above the line you are typing. UDP has no connection, so nothing tells you the peer " +
            "is there until it answers; if its port is closed you see 'port unreachable'. On one machine: " +
            "`udp chat --port 25002 --remote 127.0.0.1:25003` here and `udp chat --port 25003 --remote 127.0.0.1:25002` " +
            "in another terminal. EXIT, Ctrl+D or Ctrl+C (exit 130) end it.")
        {
            remote, local, bind, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var peerAddress = ServerAddress.Parse(parse.GetValue(remote)!, DefaultPort);
            if (!TryParseAddress(parse.GetValue(bind)!, Console.Error, out var address))
            {
                return ExitCodes.Usage;
            }

            using var resolveLimit = LinkedTimeout(parse.GetValue(timeout), ct);
            var peer = await ResolveAsync(peerAddress.ToString(), DefaultPort, Console.Error, resolveLimit.Token);
            if (peer is null)
            {
                return ct.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Failure;
            }

            var console = LineConsoles.Open();
            try
            {
                return await RunChatAsync(new IPEndPoint(address, parse.GetValue(local)), peer, console, Console.Error, ct);
            }
            finally
            {
                console.Finish();
            }
        });
        return command;
    }

    /// <summary>The chat over plain lines (tests, pipes).</summary>
    internal static Task<int> RunChatAsync(IPEndPoint local, IPEndPoint peer, TextReader input, TextWriter output, TextWriter error, CancellationToken ct)
        => RunChatAsync(local, peer, new PipedLineConsole(input, output), error, ct);

    internal static async Task<int> RunChatAsync(IPEndPoint local, IPEndPoint peer, ILineConsole console, TextWriter error, CancellationToken ct)
    {
        DatagramSocket socket;
        try
        {
            // Connected to the peer: only its datagrams are accepted, and ICMP errors about it are reported.
            socket = DatagramSocket.Connect(peer, local);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: cannot bind udp {local}: {e.SocketErrorCode}");
            return ExitCodes.Failure;
        }

        using (socket)
        {
            console.Print($"chatting on {socket.LocalEndPoint} with {peer}; type EXIT to end");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var receiving = ReceiveLoopAsync(socket, peer, console, stop.Token);
            var exitCode = ExitCodes.Success;
            try
            {
                while (await console.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.Trim().Equals("EXIT", StringComparison.OrdinalIgnoreCase))
                    {
                        break;
                    }

                    var result = await socket.SendAsync(Encoding.UTF8.GetBytes(line), stop.Token);
                    if (result != DatagramError.None)
                    {
                        console.Print($"! not sent: {DatagramErrors.Describe(result)}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                exitCode = ExitCodes.Interrupted;
            }

            await stop.CancelAsync();
            await receiving.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            return exitCode;
        }
    }

    private static async Task ReceiveLoopAsync(DatagramSocket socket, IPEndPoint peer, ILineConsole console, CancellationToken ct)
    {
        var buffer = new byte[DatagramLimits.MaxIPv6Payload];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var datagram = await socket.ReceiveAsync(buffer, ct);
                if (datagram.Error == DatagramError.PortUnreachable)
                {
                    console.Print($"! {peer} is not listening (yet): ICMP port unreachable");
                    continue;
                }

                if (!datagram.Succeeded)
                {
                    console.Print($"! {DatagramErrors.Describe(datagram.Error)}");
                    continue;
                }

                console.Print($"[{datagram.Remote}] {DatagramText.AsText(buffer.AsSpan(0, datagram.Length))}");
            }
        }
        catch (OperationCanceledException)
        {
            // The chat ended.
        }
    }
}
