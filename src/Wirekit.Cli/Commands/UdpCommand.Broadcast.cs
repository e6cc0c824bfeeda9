using System.CommandLine;
using System.Net;
using System.Text;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    private static Command CreateBroadcast()
    {
        var text = new Argument<string>("text") { Description = "The datagram's text." };
        var port = new Option<int>("--port", "-p") { Description = "Destination UDP port on every host.", DefaultValueFactory = _ => DefaultPort };
        var address = new Option<string>("--address", "-a")
        {
            Description = "Broadcast address: 255.255.255.255 (this link) or a subnet's, e.g. 192.168.1.255. " +
                          "Routers never forward it, and every host on the link must process it: use sparingly.",
            DefaultValueFactory = _ => IPAddress.Broadcast.ToString(),
        };
        var bind = BindOption("0.0.0.0", "Local address to send from; picks the interface on a multi-homed host.");
        var count = new Option<int>("--count", "-n") { Description = "Send the datagram this many times.", DefaultValueFactory = _ => 1 };
        var interval = new Option<double>("--interval") { Description = "Seconds between repeats.", DefaultValueFactory = _ => 1 };
        var timeout = CommonOptions.Timeout(0);
        timeout.Description = "Stop after this many seconds even if repeats remain (0: no limit).";
        var command = new Command("broadcast",
            "Send a datagram to every host on the local link with SO_BROADCAST (the seed's BroadcastSender); " +
            "'udp listen --bind 0.0.0.0' receives it.")
        {
            text, port, address, bind, count, interval, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryParseAddress(parse.GetValue(address)!, Console.Error, out var target)
                || !TryParseAddress(parse.GetValue(bind)!, Console.Error, out var local))
            {
                return 1;
            }

            using var limit = LinkedTimeout(parse.GetValue(timeout), ct);
            return await RunBroadcastAsync(
                new IPEndPoint(local, 0), new IPEndPoint(target, parse.GetValue(port)), parse.GetValue(text)!,
                parse.GetValue(count), TimeSpan.FromSeconds(parse.GetValue(interval)), Console.Out, Console.Error, limit.Token);
        });
        return command;
    }

    internal static async Task<int> RunBroadcastAsync(
        IPEndPoint local, IPEndPoint target, string text, int count, TimeSpan interval,
        TextWriter output, TextWriter error, CancellationToken ct)
    {
        var payload = Encoding.UTF8.GetBytes(text);
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
