using System.CommandLine;
using System.Net;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    private static Command CreateBroadcast()
    {
        var text = new Argument<string>("text") { Description = "The datagram's text." };
        var address = new Option<string>("--address")
        {
            Description = $"Where to send, as ADDRESS[:PORT] (port {DefaultPort} if left out): 255.255.255.255 (this link) " +
                          "or a subnet's broadcast address, e.g. 192.168.1.255. Routers never forward it, and every host " +
                          "on the link must process it: use sparingly.",
            DefaultValueFactory = _ => IPAddress.Broadcast.ToString(),
            HelpName = "address[:port]",
        };
        var bind = BindOption("0.0.0.0", "Local address to send from; picks the interface on a multi-homed host.");
        var count = CountOption("Send the datagram this many times.", 1);
        var interval = new Option<double>("--interval") { Description = "Seconds between repeats.", DefaultValueFactory = _ => 1, HelpName = "seconds" };
        var nul = NulOption();
        var timeout = CommonOptions.Timeout(0);
        timeout.Description = "Stop after this many seconds even if repeats remain (0: no limit, as --count and --interval already end it).";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only errors, not a line per datagram sent.";
        var command = new Command("broadcast",
            "Send a datagram to every host on the local link (SO_BROADCAST); 'udp listen --bind 0.0.0.0' on another " +
            "host receives it. Discovery protocols (DHCP, 'wirekit discover') work this way.")
        {
            text, address, bind, count, interval, nul, timeout, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            var destination = ServerAddress.Parse(parse.GetValue(address)!, DefaultPort);
            var target = ParseAddress("--address", destination.Host);
            var local = ParseAddress("--bind", parse.GetValue(bind)!);
            var payload = WithNul(System.Text.Encoding.UTF8.GetBytes(parse.GetValue(text)!), parse.GetValue(nul));
            using var limit = LinkedTimeout(parse.GetValue(timeout), ct);
            return await RunBroadcastAsync(
                new IPEndPoint(local, 0), new IPEndPoint(target, destination.Port), payload,
                parse.GetValue(count), TimeSpan.FromSeconds(parse.GetValue(interval)),
                parse.GetValue(quiet) ? TextWriter.Null : Console.Out, Console.Error, limit.Token);
        });
        return command;
    }

    internal static async Task<int> RunBroadcastAsync(
        IPEndPoint local, IPEndPoint target, byte[] payload, int count, TimeSpan interval,
        TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (DatagramLimits.Refusal(payload.Length, target.AddressFamily) is { } refusal)
        {
            error.WriteLine($"error: {refusal}");
            return 1;
        }

        DatagramSocket socket;
        try
        {
            socket = DatagramSocket.Bind(local, allowBroadcast: true);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: cannot bind udp {local}: {e.SocketErrorCode}");
            return 1;
        }

        using var owned = socket;
        try
        {
            for (var i = 0; i < Math.Max(1, count); i++)
            {
                if (i > 0)
                {
                    await Task.Delay(interval, ct);
                }

                var result = await socket.SendToAsync(payload, target, ct);
                if (result != DatagramError.None)
                {
                    error.WriteLine($"error: broadcast to {target}: {DatagramErrors.Describe(result)}");
                    return 1;
                }

                output.WriteLine($"broadcast {payload.Length} bytes to {target}");
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or --timeout ends the repeats early.
        }

        return 0;
    }
}
