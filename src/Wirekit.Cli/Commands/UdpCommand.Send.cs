using System.CommandLine;
using System.Net;
using System.Text;
using Wirekit.Cli.Invocation;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    /// <summary>Where the payload of a send without TEXT comes from.</summary>
    internal enum InputMode
    {
        /// <summary>All of standard input, byte for byte, as one datagram (piped input, or --binary).</summary>
        Binary,

        /// <summary>Each line of standard input as its own datagram (typing at a terminal, or --lines).</summary>
        Lines,
    }

    internal sealed record SendSettings
    {
        public required IPEndPoint Remote { get; init; }
        /// <summary>Text of the datagram; null sends standard input (see <see cref="Input"/>).</summary>
        public string? Text { get; init; }
        public InputMode Input { get; init; } = InputMode.Binary;
        /// <summary>Append one NUL byte to every datagram, as C senders of strings do.</summary>
        public bool Nul { get; init; }
        /// <summary>Pad (or cut) each payload to this many bytes; 0 keeps the payload's length.</summary>
        public int Size { get; init; }
        /// <summary>Send this many numbered datagrams that `udp listen` tallies; 0 = plain datagrams.</summary>
        public int Count { get; init; }
        /// <summary>After sending, wait this long for a reply or an ICMP error.</summary>
        public double Wait { get; init; } = 0.3;
        public bool Quiet { get; init; }
    }

    private static Command CreateSend()
    {
        var words = new Argument<string[]>("destination")
        {
            Description = $"HOST[:PORT] ([::1]:PORT for IPv6; `HOST PORT` works too; port {DefaultPort} if left out), " +
                          "then the datagram's TEXT. Without TEXT, standard input is sent.",
            Arity = new ArgumentArity(1, 3),
            HelpName = "host[:port] [text]",
        };
        var size = new Option<int>("--size", "-s")
        {
            HelpName = "bytes",
            Description = $"Pad each datagram with zero bytes (or cut it) to this many bytes. Above {DatagramLimits.MaxIPv4Payload} " +
                          "(IPv4) it is refused: one UDP datagram cannot carry more.",
        };
        var count = CountOption("Send this many numbered datagrams; 'udp listen' counts them and reports how many were lost " +
                                "(0: send the text or input once, unnumbered).", 0);
        var binary = new Option<bool>("--binary")
        {
            Description = "Send standard input byte for byte as one datagram (the default when input is piped or redirected).",
        };
        var lines = new Option<bool>("--lines")
        {
            Description = "Send each line of standard input as its own datagram (the default when typing at a terminal).",
        };
        var nul = NulOption();
        var wait = new Option<double>("--wait")
        {
            Description = "Seconds to wait after sending for a reply (printed) or an ICMP 'port unreachable' (an error).",
            DefaultValueFactory = _ => 0.3,
            HelpName = "seconds",
        };
        var timeout = CommonOptions.Timeout();
        timeout.Description = "Give up when resolving, sending and waiting together have taken this many seconds.";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only replies and errors, not the 'sent N datagram(s)' line.";
        var command = new Command("send",
            "Send one datagram (the text, or standard input) to HOST[:PORT] and show any reply. UDP is connectionless: " +
            "a datagram to a port where nothing listens is answered, if at all, by an ICMP 'port unreachable', shown as an error.")
        {
            words, size, count, binary, lines, nul, wait, timeout, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (destination, text) = SplitDestination(parse.GetValue(words)!);
            if (parse.GetValue(binary) && parse.GetValue(lines))
            {
                throw CommandFailure.Usage("--binary and --lines exclude each other: choose how standard input is cut");
            }

            using var limit = LinkedTimeout(parse.GetValue(timeout), ct);
            var settings = new SendSettings
            {
                Remote = await ResolveAsync(destination, limit.Token),
                Text = text,
                Input = parse.GetValue(lines) || (!parse.GetValue(binary) && !Console.IsInputRedirected) ? InputMode.Lines : InputMode.Binary,
                Nul = parse.GetValue(nul),
                Size = parse.GetValue(size),
                Count = parse.GetValue(count),
                Wait = parse.GetValue(wait),
                Quiet = parse.GetValue(quiet),
            };
            await using var input = Console.OpenStandardInput();
            return await RunSendAsync(settings, input, Console.Out, Console.Error, limit.Token);
        });
        return command;
    }

    /// <summary>
    /// `HOST[:PORT] [PORT] [TEXT]`: a second word is the port when the first names none and it reads as one; otherwise
    /// it is the text (so `udp send host:9 80` sends "80", and `udp send host 80` needs `host 80 TEXT` or stdin).
    /// </summary>
    internal static (ServerAddress Destination, string? Text) SplitDestination(IReadOnlyList<string> words)
    {
        var first = ServerAddress.Parse(words[0], DefaultPort);
        var rest = words.Skip(1).ToList();
        var hasPort = Wirekit.Diagnostics.HostPort.TryParse(words[0], out var parsed, out _) && parsed.Value.Port is not null;
        if (!hasPort && rest.Count > 0 && rest[0].All(char.IsAsciiDigit) && rest[0].Length > 0)
        {
            first = first with { Port = ServerAddress.ParsePort(rest[0]) };
            rest.RemoveAt(0);
        }

        return rest.Count switch
        {
            0 => (first, null),
            1 => (first, rest[0]),
            _ => throw CommandFailure.Usage($"one text per datagram: quote \"{string.Join(' ', rest)}\" to send it as one"),
        };
    }

    internal static async Task<int> RunSendAsync(
        SendSettings settings, Stream input, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var family = settings.Remote.AddressFamily;
        var headerLength = settings.Count > 0 ? SequencedDatagram.HeaderLength : 0;
        var text = settings.Text is not null ? WithNul(Encoding.UTF8.GetBytes(settings.Text), settings.Nul) : null;
        var wanted = Math.Max(settings.Size, headerLength + (text?.Length ?? 0));
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
        await foreach (var payload in Payloads(settings, text, wanted, input, ct))
        {
            if (payload is null)
            {
                error.WriteLine($"error: standard input is longer than one UDP datagram can carry ({DatagramLimits.MaxPayload(family)} bytes); use --lines, or TCP");
                return 1;
            }

            if (await SendOneAsync(socket, payload, settings.Remote, error, ct) is { } failed)
            {
                return failed;
            }

            sent++;
        }

        if (!settings.Quiet)
        {
            output.WriteLine($"sent {sent} datagram(s) to {settings.Remote}");
        }

        return await AwaitReplyAsync(socket, settings, output, error, ct);
    }

    /// <summary>What to send, datagram by datagram; null means standard input held more than one datagram can carry.</summary>
    private static async IAsyncEnumerable<byte[]?> Payloads(
        SendSettings settings, byte[]? text, int wanted, Stream input,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (settings.Count > 0)
        {
            var numbered = new byte[wanted];
            text?.CopyTo(numbered.AsSpan(SequencedDatagram.HeaderLength));
            for (var i = 0; i < settings.Count; i++)
            {
                SequencedDatagram.Write(numbered, (uint)i, (uint)settings.Count);
                yield return numbered;
            }
        }
        else if (text is not null)
        {
            yield return Padded(text, settings.Size);
        }
        else if (settings.Input == InputMode.Lines)
        {
            using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                yield return Padded(WithNul(Encoding.UTF8.GetBytes(line), settings.Nul), settings.Size);
            }
        }
        else
        {
            yield return await ReadAllBoundedAsync(input, DatagramLimits.MaxPayload(settings.Remote.AddressFamily), ct) is { } bytes
                ? Padded(WithNul(bytes, settings.Nul), settings.Size)
                : null;
        }
    }

    /// <summary>Standard input whole, as long as it fits one datagram (read one byte past the bound to know).</summary>
    private static async Task<byte[]?> ReadAllBoundedAsync(Stream input, int max, CancellationToken ct)
    {
        var buffer = new byte[max + 1];
        var length = 0;
        while (length < buffer.Length && await input.ReadAsync(buffer.AsMemory(length), ct) is var read and > 0)
        {
            length += read;
        }

        return length > max ? null : buffer[..length];
    }

    /// <summary>The bytes as given, then the NUL a C sender of strings adds (udp send and udp broadcast share it).</summary>
    private static byte[] WithNul(byte[] bytes, bool nul) => nul ? [.. bytes, 0] : bytes;

    /// <summary>Padded with zeros, or cut, to --size; 0 keeps the length.</summary>
    private static byte[] Padded(byte[] bytes, int size)
    {
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
