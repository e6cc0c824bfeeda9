using System.CommandLine;
using System.Net;
using System.Text;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    private static Command CreateChat()
    {
        var remote = new Option<string>("--remote", "-r")
        {
            Description = "The peer, HOST:PORT. Run the same command there with the ports swapped.",
            Required = true,
        };
        var local = new Option<int>("--local", "-l") { Description = "Local UDP port to receive on.", DefaultValueFactory = _ => DefaultPort };
        var bind = BindOption("127.0.0.1", "Local address to bind; 0.0.0.0 to chat with another host.");
        var timeout = CommonOptions.Timeout();
        timeout.Description = "Seconds allowed for resolving --remote.";
        var command = new Command("chat",
            "Type lines to send them to --remote while its datagrams print as they arrive (the seed's UdpSample: " +
            "sendto and recvfrom at once). A line 'EXIT' ends the chat.")
        {
            remote, local, bind, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryParseAddress(parse.GetValue(bind)!, Console.Error, out var address))
            {
                return 1;
            }

            using var resolveLimit = LinkedTimeout(parse.GetValue(timeout), ct);
            var peer = await ResolveAsync(parse.GetValue(remote)!, DefaultPort, Console.Error, resolveLimit.Token);
            if (peer is null)
            {
                return 1;
            }

            return await RunChatAsync(new IPEndPoint(address, parse.GetValue(local)), peer, Console.In, Console.Out, Console.Error, ct);
        });
        return command;
    }

    internal static async Task<int> RunChatAsync(
        IPEndPoint local, IPEndPoint peer, TextReader input, TextWriter output, TextWriter error, CancellationToken ct)
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
            return 1;
        }

        using (socket)
        {
            output.WriteLine($"chatting on {socket.LocalEndPoint} with {peer}; type EXIT to end");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var receiving = ReceiveLoopAsync(socket, peer, output, stop.Token);
            try
            {
                while (await input.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.Trim().Equals("EXIT", StringComparison.OrdinalIgnoreCase))
                    {
                        break;
                    }

                    var result = await socket.SendAsync(Encoding.UTF8.GetBytes(line), stop.Token);
                    if (result != DatagramError.None)
                    {
                        output.WriteLine($"! not sent: {DatagramErrors.Describe(result)}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C ends the chat like EXIT does.
            }

            await stop.CancelAsync();
            await receiving.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            return 0;
        }
    }

    private static async Task ReceiveLoopAsync(DatagramSocket socket, IPEndPoint peer, TextWriter output, CancellationToken ct)
    {
        var buffer = new byte[DatagramLimits.MaxIPv6Payload];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var datagram = await socket.ReceiveAsync(buffer, ct);
                if (datagram.Error == DatagramError.PortUnreachable)
                {
                    output.WriteLine($"! {peer} is not listening (yet): ICMP port unreachable");
                    continue;
                }

                if (!datagram.Succeeded)
                {
                    output.WriteLine($"! {DatagramErrors.Describe(datagram.Error)}");
                    continue;
                }

                output.WriteLine($"[{datagram.Remote}] {DatagramText.AsText(buffer.AsSpan(0, datagram.Length))}");
            }
        }
        catch (OperationCanceledException)
        {
            // The chat ended.
        }
    }
}
