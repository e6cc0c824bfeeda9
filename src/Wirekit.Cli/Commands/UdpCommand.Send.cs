using System.CommandLine;
using System.Net;
using System.Text;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    internal sealed record SendSettings
    {
        public required IPEndPoint Remote { get; init; }
        /// <summary>Text of the datagram; null sends every line of the input as its own datagram.</summary>
        public string? Text { get; init; }
        /// <summary>Pad (or cut) each payload to this many bytes; 0 keeps the text's length.</summary>
        public int Size { get; init; }
        /// <summary>Send this many numbered datagrams that `udp listen` tallies; 0 = plain datagrams.</summary>
        public int Count { get; init; }
        /// <summary>After sending, wait this long for a reply or an ICMP error.</summary>
        public double Wait { get; init; } = 0.3;
    }

    private static Command CreateSend()
    {
        var host = new Argument<string>("host") { Description = "Destination host name or IP address." };
        var port = new Argument<int>("port") { Description = "Destination UDP port." };
        var text = new Argument<string?>("text")
        {
            Description = "The datagram's text. Leave it out to send every line of standard input as one datagram.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var size = new Option<int>("--size")
        {
            Description = $"Pad each datagram to this many bytes. Above {DatagramLimits.MaxIPv4Payload} (IPv4) it is " +
                          "refused: one UDP datagram cannot carry more.",
        };
        var count = new Option<int>("--count", "-n")
        {
            Description = "Send this many numbered datagrams; 'udp listen' counts them and reports how many were lost.",
        };
        var wait = new Option<double>("--wait")
        {
            Description = "Seconds to wait after sending for a reply (printed) or an ICMP 'port unreachable' (an error).",
            DefaultValueFactory = _ => 0.3,
        };
        var timeout = CommonOptions.Timeout();
        var command = new Command("send", "Send one datagram (or one per input line) to HOST PORT and show any reply.")
        {
            host, port, text, size, count, wait, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var limit = LinkedTimeout(parse.GetValue(timeout), ct);
            var remote = await ResolveAsync(parse.GetValue(host)!, parse.GetValue(port), Console.Error, limit.Token);
            if (remote is null)
            {
                return 1;
            }

            var settings = new SendSettings
            {
                Remote = remote,
                Text = parse.GetValue(text),
                Size = parse.GetValue(size),
                Count = parse.GetValue(count),
                Wait = parse.GetValue(wait),
            };
            return await RunSendAsync(settings, Console.In, Console.Out, Console.Error, limit.Token);
        });
        return command;
    }

    internal static async Task<int> RunSendAsync(
        SendSettings settings, TextReader input, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var family = settings.Remote.AddressFamily;
        var headerLength = settings.Count > 0 ? SequencedDatagram.HeaderLength : 0;
        var textLength = Encoding.UTF8.GetByteCount(settings.Text ?? "");
        var wanted = Math.Max(settings.Size, headerLength + textLength);
        if (DatagramLimits.Refusal(wanted, family) is { } refusal)
        {
            error.WriteLine($"error: {refusal}");
            return 1;
        }

        DatagramSocket socket;
        try
        {
            socket = DatagramSocket.Connect(settings.Remote);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: {settings.Remote}: {DatagramErrors.Describe(DatagramErrors.Classify(e.SocketErrorCode), e.SocketErrorCode)}");
            return 1;
        }

        using var owned = socket;
        var sent = 0;
        if (settings.Count > 0)
        {
            var payload = new byte[wanted];
            Encoding.UTF8.GetBytes(settings.Text ?? "", payload.AsSpan(headerLength));
            for (var i = 0; i < settings.Count; i++)
            {
                SequencedDatagram.Write(payload, (uint)i, (uint)settings.Count);
                if (await SendOneAsync(socket, payload, settings.Remote, error, ct) is { } failed)
                {
                    return failed;
                }

                sent++;
            }
        }
        else if (settings.Text is not null)
        {
            if (await SendOneAsync(socket, Pad(settings.Text, settings.Size), settings.Remote, error, ct) is { } failed)
            {
                return failed;
            }

            sent++;
        }
        else
        {
            while (await input.ReadLineAsync(ct) is { } line)
            {
                if (await SendOneAsync(socket, Pad(line, settings.Size), settings.Remote, error, ct) is { } failed)
                {
                    return failed;
                }

                sent++;
            }
        }

        output.WriteLine($"sent {sent} datagram(s) to {settings.Remote}");
        return await AwaitReplyAsync(socket, settings, output, error, ct);
    }

    private static byte[] Pad(string text, int size)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (size <= 0 || size == bytes.Length)
        {
            return bytes;
        }

        var padded = new byte[size];
        bytes.AsSpan(0, Math.Min(size, bytes.Length)).CopyTo(padded);
        return padded;
    }

    private static async Task<int?> SendOneAsync(DatagramSocket socket, byte[] payload, IPEndPoint remote, TextWriter error, CancellationToken ct)
    {
        var result = await socket.SendAsync(payload, ct);
        if (result == DatagramError.None)
        {
            return null;
        }

        error.WriteLine(result == DatagramError.TooLarge
            ? $"error: {DatagramLimits.Refusal(payload.Length, socket.AddressFamily) ?? "datagram too large for this path"}"
            : $"error: {remote}: {DatagramErrors.Describe(result)}");
        return 1;
    }

    /// <summary>
    /// The socket is connected, so an ICMP port-unreachable for what we sent comes back on the next receive;
    /// a short wait turns "sent into the void" into a clear error, and shows an echo server's reply.
    /// </summary>
    private static async Task<int> AwaitReplyAsync(
        DatagramSocket socket, SendSettings settings, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (settings.Wait <= 0)
        {
            return 0;
        }

        var buffer = new byte[DatagramLimits.MaxIPv6Payload];
        using var wait = LinkedTimeout(settings.Wait, ct);
        try
        {
            while (true)
            {
                var reply = await socket.ReceiveAsync(buffer, wait.Token);
                if (!reply.Succeeded)
                {
                    error.WriteLine($"error: {settings.Remote}: {DatagramErrors.Describe(reply.Error)}");
                    return 1;
                }

                var payload = buffer.AsSpan(0, reply.Length);
                output.WriteLine(DatagramText.LooksLikeText(payload)
                    ? $"reply from {reply.Remote}: {DatagramText.AsText(payload)}"
                    : $"reply from {reply.Remote}: {reply.Length} bytes\n{DatagramText.HexDump(payload)}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return 0;
        }
    }
}
